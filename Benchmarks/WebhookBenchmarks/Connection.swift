import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a line to stdout at once (unbuffered: the output of a long run is seen as it happens).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Monotonic nanoseconds.
@inline(__always) func nanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Sleeps until the monotonic time `deadline` (nanoseconds).
func sleep(until deadline: UInt64) {
    var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
}

/// One keep-alive HTTP/1.1 connection to 127.0.0.1 with blocking calls, for one thread. Answers
/// must carry `Content-Length` (Hummingbird's and KubeTestServer's do).
final class Connection {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(port: Int) { self.port = port }

    deinit { if fd >= 0 { close(fd) } }

    private func open() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            throw Failure(description: "connect 127.0.0.1:\(port): errno \(errno)")
        }
        self.fd = fd
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends one request (head and body already serialized) and reads the answer. Reconnects once
    /// when a kept-alive connection turns out closed before anything was read.
    func roundTrip(_ request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        if fd < 0 { try open() }
        if !sendAll(request) {
            close(fd); fd = -1
            try open()
            guard sendAll(request) else { throw Failure(description: "send: errno \(errno)") }
        }
        return try readAnswer()
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func fill() throws {
        let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else {
            close(fd); fd = -1
            throw Failure(description: n == 0 ? "connection closed by the server" : "recv: errno \(errno)")
        }
        buffer.append(contentsOf: scratch[0..<n])
    }

    private func readAnswer() throws -> (status: Int, body: [UInt8]) {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(buffer, from: 0)
            if headEnd == nil { try fill() }
        }
        let end = headEnd!
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else { throw Failure(description: "bad status line: \(head)") }
        var length = 0
        var closes = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if lower.hasPrefix("connection:"), lower.contains("close") { closes = true }
        }
        while buffer.count < end + 4 + length { try fill() }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        if closes { close(fd); fd = -1 }
        return (status, body)
    }

    static func find(_ data: [UInt8], from: Int) -> Int? {
        guard data.count >= 4 else { return nil }
        var i = from
        while i + 3 < data.count {
            if data[i] == 13, data[i + 1] == 10, data[i + 2] == 13, data[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }
}

/// Runs `work(i)` on `count` threads of their own and waits for all of them.
func onThreads(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
    let done = DispatchSemaphore(value: 0)
    for i in 0..<count {
        let thread = Thread { work(i); done.signal() }
        thread.stackSize = 1 << 20
        thread.start()
    }
    for _ in 0..<count { done.wait() }
}
