import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a POSIX socket, run on its own thread (the blocking calls never
/// occupy the cooperative pool, where the server under test runs). Each request uses its own
/// connection (`Connection: close`), so headers and bodies are sent exactly as given.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends one request and reads the answer's status code and body.
    static func request(port: Int, method: String, path: String, headers: [String: String], body: [UInt8]) async throws -> (Int, [UInt8]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        return try await onThread {
            let fd = try connectTo(port)
            defer { close(fd) }
            _ = sendAll(fd, bytes)
            return try readAnswer(fd)
        }
    }

    /// Streams a chunked body of `total` bytes in `chunk`-byte pieces, stopping when the server
    /// closes; returns the answer and how many body bytes were sent.
    static func stream(port: Int, path: String, headers: [String: String], total: Int, chunk: Int = 64 * 1024) async throws
        -> (code: Int, body: [UInt8], sent: Int) {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let headBytes = Array(head.utf8)
        return try await onThread {
            let fd = try connectTo(port)
            defer { close(fd) }
            guard sendAll(fd, headBytes) else { throw Failure(description: "send headers") }
            var sent = 0
            let piece = Array(String(chunk, radix: 16).utf8) + [13, 10] + [UInt8](repeating: UInt8(ascii: "a"), count: chunk) + [13, 10]
            while sent < total {
                guard sendAll(fd, piece) else { break }
                sent += chunk
            }
            if sent >= total { _ = sendAll(fd, Array("0\r\n\r\n".utf8)) }
            let (code, body) = try readAnswer(fd)
            return (code, body, sent)
        }
    }

    /// Sends `head` (a keep-alive request whose body is not sent in full) and `bodyPart`, reads the
    /// answer, then waits up to 30 s for the server to end the connection: `closed` is true when it
    /// did (EOF or reset), false when the connection stayed open.
    static func answerThenClose(port: Int, head: String, bodyPart: [UInt8]) async throws -> (code: Int, body: [UInt8], closed: Bool) {
        try await onThread {
            let fd = try connectTo(port)
            defer { close(fd) }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = sendAll(fd, Array(head.utf8) + bodyPart) // the server may stop reading (and close) part-way
            let (code, body) = try readAnswer(fd)
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, 0)
            return (code, body, n == 0 || (n < 0 && errno == ECONNRESET))
        }
    }

    /// Sends `first`, reads its answer, then `second` on the same connection; the two status codes.
    static func twoOnOneConnection(port: Int, first: String, second: String) async throws -> [Int] {
        try await onThread {
            let fd = try connectTo(port)
            defer { close(fd) }
            guard sendAll(fd, Array(first.utf8)) else { throw Failure(description: "send first") }
            let (a, _) = try readAnswer(fd)
            guard sendAll(fd, Array(second.utf8)) else { throw Failure(description: "send second") }
            let (b, _) = try readAnswer(fd)
            return [a, b]
        }
    }

    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            let thread = Thread { c.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    static func connectTo(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // A server that stops reading makes `send` fail after this instead of blocking forever.
        var sendTimeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
        return fd
    }

    /// False when the peer closed (EPIPE/ECONNRESET); never raises SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads the status line, the headers and a `Content-Length` body (or up to EOF).
    static func readAnswer(_ fd: Int32) throws -> (Int, [UInt8]) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var headerEnd: Int?
        var length: Int?
        while true {
            if let end = headerEnd, let length, data.count - end >= length { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if headerEnd == nil, let r = find(data, [13, 10, 13, 10]) {
                headerEnd = r + 4
                let head = String(decoding: data[0..<r], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                }
            }
        }
        guard let end = headerEnd else { throw Failure(description: "no answer (\(data.count) bytes)") }
        let statusLine = String(decoding: data[0..<end], as: UTF8.self).split(separator: " ")
        guard statusLine.count >= 2, let code = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        return (code, Array(data[end...]))
    }

    static func find(_ data: [UInt8], _ needle: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        for i in 0...(data.count - needle.count) where data[i] == needle[0] && Array(data[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// `application/x-www-form-urlencoded` encoding of a value (unreserved characters kept).
    static func formEncode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                out.append(b)
            case UInt8(ascii: " "): out.append(UInt8(ascii: "+"))
            default: out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return out
    }
}
