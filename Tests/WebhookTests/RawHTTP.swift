import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

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

    /// A connection whose reads time out after 60 s and sends after 3 s (a server that stops reading
    /// makes `send` fail instead of blocking forever).
    static func connectTo(_ port: Int) throws -> Int32 {
        try LoopbackHTTP.connect(port: port, receiveTimeout: 60, sendTimeout: 3)
    }

    /// False when the peer closed (EPIPE/ECONNRESET); never raises SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool { LoopbackHTTP.sendAll(fd, bytes) }

    /// Reads the status line, the headers and a `Content-Length` body (or up to EOF).
    static func readAnswer(_ fd: Int32) throws -> (Int, [UInt8]) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var head: (end: Int, parsed: LoopbackHTTP.Head?)?
        while true {
            if let head, let length = head.parsed?.contentLength, data.count - head.end >= length { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if head == nil, let r = LoopbackHTTP.headEnd(in: data) {
                head = (r + 4, LoopbackHTTP.parseHead(data[0..<r]))
            }
        }
        guard let head else { throw Failure(description: "no answer (\(data.count) bytes)") }
        guard let code = head.parsed?.status else { throw Failure(description: "bad status line") }
        return (code, Array(data[head.end...]))
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
