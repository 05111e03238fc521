import Foundation
import KubeAPI
import KubeTestServer
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small blocking HTTP/1.1 client over a POSIX socket, to test the server's wire
/// behaviour exactly (status codes, headers, chunked watch frames). Reads time out after
/// `timeout` seconds (SO_RCVTIMEO), so a missing event fails a test instead of hanging it.
/// Requests carry `Authorization: Bearer <token>` (by default the server's admin token, so tests
/// run as `system:masters`) unless `token` is nil or the request sets its own `Authorization`.
final class RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    /// The bearer token sent with every request (nil: none, the request is anonymous).
    var token: String?
    private var buffer: [UInt8] = []
    private var chunkRemaining = 0
    private var chunkedDone = false
    private var lineBuffer: [UInt8] = []

    init(port: Int, timeout: Int = 10, token: String? = KubeTestServer.adminToken) throws {
        self.token = token
        do {
            fd = try LoopbackHTTP.connect(port: port, receiveTimeout: timeout)
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    deinit { close(fd) }

    /// Sends one request and reads the status line and headers.
    /// `bytes` (sent as is, any content type) takes the place of a JSON `body`.
    func send(_ method: String, _ path: String, body: JSONValue? = nil, bytes raw: [UInt8]? = nil,
              headers: [String: String] = [:]) throws -> (Int, [String: String]) {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        var h = headers
        if let token, !h.keys.contains(where: { $0.lowercased() == "authorization" }) { h["Authorization"] = "Bearer \(token)" }
        let bytes = raw ?? body?.serialized() ?? []
        if body != nil, h["Content-Type"] == nil { h["Content-Type"] = "application/json" }
        if raw != nil || body != nil || method == "POST" || method == "PUT" || method == "PATCH" {
            h["Content-Length"] = String(bytes.count)
        }
        for (k, v) in h { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        guard LoopbackHTTP.sendAll(fd, Array(text.utf8) + bytes) else { throw Failure(description: "send failed") }
        let head = try readUntil([13, 10, 13, 10])
        guard let parsed = LoopbackHTTP.parseHead(head.dropLast(4)) else {
            throw Failure(description: "bad status line: \(String(decoding: head.prefix(200), as: UTF8.self))")
        }
        chunkRemaining = 0
        chunkedDone = false
        return (parsed.status, parsed.headers)
    }

    /// A complete request/response exchange.
    func request(_ method: String, _ path: String, body: JSONValue? = nil, headers: [String: String] = [:]) throws -> Response {
        let (status, h) = try send(method, path, body: body, headers: headers)
        if let len = h["content-length"].flatMap(Int.init) {
            return Response(status: status, headers: h, body: try readExactly(len))
        }
        var out: [UInt8] = []
        while let chunk = try nextChunk() { out += chunk }
        return Response(status: status, headers: h, body: out)
    }

    /// One exchange with a raw body; a streamed (chunked) 200 — a watch — comes back with its head
    /// only (`body` empty), the stream left unread.
    func exchange(_ method: String, _ path: String, bytes: [UInt8]?, headers: [String: String]) throws -> Response {
        let (status, h) = try send(method, path, bytes: bytes, headers: headers)
        if let len = h["content-length"].flatMap(Int.init) {
            return Response(status: status, headers: h, body: method == "HEAD" ? [] : try readExactly(len))
        }
        if status == 200 { return Response(status: status, headers: h, body: []) }
        var out: [UInt8] = []
        while let chunk = try nextChunk() { out += chunk }
        return Response(status: status, headers: h, body: out)
    }

    /// The next newline-terminated watch frame as JSON, or nil at the end of the stream.
    func nextEvent() throws -> JSONValue? {
        while true {
            if let nl = lineBuffer.firstIndex(of: 10) {
                let line = Array(lineBuffer[..<nl])
                lineBuffer.removeSubrange(...nl)
                if line.isEmpty { continue }
                return try JSONValue(parsing: line)
            }
            guard let chunk = try nextChunk() else { return nil }
            lineBuffer += chunk
        }
    }

    /// Reads events until one satisfies `predicate`; throws if the stream ends first.
    func nextEvent(where predicate: (JSONValue) -> Bool) throws -> JSONValue {
        while let e = try nextEvent() {
            if predicate(e) { return e }
        }
        throw Failure(description: "watch ended before the expected event")
    }

    private func nextChunk() throws -> [UInt8]? {
        if chunkedDone { return nil }
        let sizeLine = try readUntil([13, 10])
        let size = Int(String(decoding: sizeLine.dropLast(2), as: UTF8.self), radix: 16) ?? 0
        if size == 0 {
            _ = try? readUntil([13, 10])
            chunkedDone = true
            return nil
        }
        let data = try readExactly(size)
        _ = try readExactly(2)
        return data
    }

    private func fill() throws {
        var tmp = [UInt8](repeating: 0, count: 65536)
        let n = tmp.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw Failure(description: "connection closed") }
        if n < 0 { throw Failure(description: "read timed out or failed (errno \(errno))") }
        buffer += tmp[..<n]
    }

    private func readUntil(_ delimiter: [UInt8]) throws -> [UInt8] {
        while true {
            if let r = find(delimiter) {
                let out = Array(buffer[..<r])
                buffer.removeSubrange(..<r)
                return out
            }
            try fill()
        }
    }

    private func find(_ d: [UInt8]) -> Int? {
        guard buffer.count >= d.count else { return nil }
        for i in 0...(buffer.count - d.count) where buffer[i] == d[0] && Array(buffer[i..<(i + d.count)]) == d {
            return i + d.count
        }
        return nil
    }

    private func readExactly(_ n: Int) throws -> [UInt8] {
        while buffer.count < n { try fill() }
        let out = Array(buffer[..<n])
        buffer.removeSubrange(..<n)
        return out
    }
}
