import NIOHPACK

// swift-nio-http2's HPACK types under names that do not clash with KubeClient's own HPACK types
// (this file imports only NIOHPACK, so the names below resolve to NIO's).
typealias NIOHPACKEncoder = HPACKEncoder
typealias NIOHPACKDecoder = HPACKDecoder
typealias NIOHPACKHeaders = HPACKHeaders
