import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the raw HTTP/1.1 clients of the tests and benchmarks share: a blocking socket to 127.0.0.1,
/// a send that never raises SIGPIPE, and the reading of a response head. Each client keeps its own
/// exchange (one connection per request in WebhookTests, keep-alive with chunked watch frames in
/// KubeTestServerTests, keep-alive load in the benchmarks) — what differs is what they test.
public enum LoopbackHTTP {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// A response head: the status code and the headers, names lowercased (a repeated name keeps its last value).
    public struct Head: Sendable, Equatable {
        public var status: Int
        public var headers: [String: String]
        /// `Content-Length`, when present and a number.
        public var contentLength: Int? { headers["content-length"].flatMap { Int($0) } }
        /// True when the server said it closes the connection after this response.
        public var closes: Bool { headers["connection"]?.lowercased().contains("close") == true }
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port`, which the caller closes. Reads fail after
    /// `receiveTimeout` seconds (SO_RCVTIMEO; nil: never), so a missing answer fails a test instead of
    /// hanging it; sends after `sendTimeout` (a server that stops reading); `noDelay` turns Nagle off.
    public static func connect(port: Int, receiveTimeout: Int? = 60, sendTimeout: Int? = nil, noDelay: Bool = false) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: errno \(errno)") }
        if noDelay {
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        for (option, seconds) in [(SO_RCVTIMEO, receiveTimeout), (SO_SNDTIMEO, sendTimeout)] {
            guard let seconds else { continue }
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let error = errno
            close(fd)
            throw Failure("connect 127.0.0.1:\(port): errno \(error)")
        }
        return fd
    }

    /// Sends all of `bytes`; false when the peer closed or reset the connection, or a send timed out.
    /// Never raises SIGPIPE.
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Where the blank line that ends a head (`\r\n\r\n`) starts in `data`, searching from `from`; nil before it arrived.
    public static func headEnd(in data: [UInt8], from: Int = 0) -> Int? {
        var i = max(from, 0)
        while i + 3 < data.count {
            if data[i] == 13, data[i + 1] == 10, data[i + 2] == 13, data[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Parses a response head (the status line and the header lines, without the blank line); nil
    /// when the status line is not `HTTP/x.y CODE …`.
    public static func parseHead(_ head: some Collection<UInt8>) -> Head? {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Head(status: status, headers: headers)
    }
}
