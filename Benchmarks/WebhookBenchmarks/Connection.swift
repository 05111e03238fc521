import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

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
        do {
            fd = try LoopbackHTTP.connect(port: port, receiveTimeout: 60, noDelay: true)
        } catch {
            throw Failure(description: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends one request (head and body already serialized) and reads the answer. Reconnects once
    /// when a kept-alive connection turns out closed before anything was read.
    func roundTrip(_ request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        if fd < 0 { try open() }
        if !LoopbackHTTP.sendAll(fd, request) {
            close(fd); fd = -1
            try open()
            guard LoopbackHTTP.sendAll(fd, request) else { throw Failure(description: "send: errno \(errno)") }
        }
        return try readAnswer()
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
            headEnd = LoopbackHTTP.headEnd(in: buffer)
            if headEnd == nil { try fill() }
        }
        let end = headEnd!
        guard let head = LoopbackHTTP.parseHead(buffer[0..<end]) else {
            throw Failure(description: "bad status line: \(String(decoding: buffer[0..<end], as: UTF8.self))")
        }
        let length = head.contentLength ?? 0
        while buffer.count < end + 4 + length { try fill() }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        if head.closes { close(fd); fd = -1 }
        return (head.status, body)
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
