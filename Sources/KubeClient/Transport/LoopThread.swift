#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a detached, named POSIX thread: the one that runs a `CurlLoop`, and KubeRuntime's
/// `OffPoolThread` (Foundation's `Thread` would pull libFoundation and ICU into every process that
/// uses KubeClient; see docs/kubeclient.md).
public enum LoopThread {
    /// Runs `body` on a new detached thread named `name` with a stack of `stackSize` bytes.
    /// The closure (and what it captures) is retained until it returns.
    public static func start(name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(LoopThreadStart(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, &attributes, entry, context)
        pthread_attr_destroy(&attributes)
        if rc != 0 {
            Unmanaged<LoopThreadStart>.fromOpaque(context).release()
            fatalError("pthread_create failed: \(rc)")
        }
    }

    /// The thread's C entry point: takes ownership of the `LoopThreadStart` and runs it.
    private static let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
        guard let raw else { return nil }
        let start = Unmanaged<LoopThreadStart>.fromOpaque(raw).takeRetainedValue()
        nameCurrentThread(start.name)
        start.body()
        return nil
    }

    /// The calling thread's name as the kernel knows it (`/proc/thread-self/comm` on Linux, at
    /// most 15 bytes), or nil where it cannot be read.
    public static func currentName() -> String? {
        #if canImport(Darwin)
        var buffer = [CChar](repeating: 0, count: 64)
        guard pthread_getname_np(pthread_self(), &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        let fd = open("/proc/thread-self/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].prefix { $0 != 0x0A }, as: UTF8.self)
        #endif
    }

    /// Names the calling thread (visible in `top -H`, `/proc`, debuggers); best effort.
    /// Glibc's `pthread_setname_np` is not visible to Swift without `_GNU_SOURCE`, so on Linux the
    /// name is written to `/proc/thread-self/comm` (at most 15 bytes are kept).
    private static func nameCurrentThread(_ name: String) {
        #if canImport(Darwin)
        pthread_setname_np(name)
        #else
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #endif
    }
}

/// What a new loop thread runs (passed through `pthread_create`'s context pointer).
private final class LoopThreadStart: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
