import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of a test server whose connections can be made silent
/// (`freeze()`): bytes are still read from both sides and dropped, as by a dead network path that
/// neither resets nor closes. Connections accepted after a freeze pass bytes normally.
final class FreezableProxy: Sendable {
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    /// Connections (client side, upstream side) and whether each pair is frozen.
    private let pairs = Mutex<[(client: Int32, upstream: Int32, frozen: Bool, ended: Int)]>([])
    private let stopped = Atomic<Bool>(false)

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Every connection open now goes silent (both directions).
    func freeze() {
        pairs.withLock { for i in $0.indices { $0[i].frozen = true } }
    }

    /// Connections accepted so far.
    var connections: Int { pairs.withLock { $0.count } }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        // Wakes `accept` (EINVAL); the accepting thread closes the listener itself, so its number
        // cannot be reused under a pending `accept`.
        shutdown(listener, Int32(SHUT_RDWR))
        // Shut down, not closed: a pump may still be reading (its descriptor must not be reused).
        // Only pairs still open: a closed pair's descriptor numbers may belong to someone else now
        // (pairs are closed under the same lock).
        pairs.withLock { for p in $0 where p.ended < 2 { shutdown(p.client, Int32(SHUT_RDWR)); shutdown(p.upstream, Int32(SHUT_RDWR)) } }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = UInt16(port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        return a
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard !stopped.load(ordering: .relaxed) else {
                close(client)
                return
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(client); close(upstream); continue }
            let index = pairs.withLock { p -> Int in
                p.append((client, upstream, false, 0))
                return p.count - 1
            }
            Thread.detachNewThread { [self] in pump(from: client, to: upstream, pair: index) }
            Thread.detachNewThread { [self] in pump(from: upstream, to: client, pair: index) }
        }
    }

    private func pump(from: Int32, to: Int32, pair: Int) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            if pairs.withLock({ $0[pair].frozen }) { continue }
            var sent = 0
            while sent < n {
                let w = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                guard w > 0 else { break }
                sent += w
            }
        }
        shutdown(to, Int32(SHUT_WR))
        // The second pump of a pair to end closes both descriptors.
        pairs.withLock { p in
            p[pair].ended += 1
            if p[pair].ended == 2 { close(p[pair].client); close(p[pair].upstream) }
        }
    }
}
