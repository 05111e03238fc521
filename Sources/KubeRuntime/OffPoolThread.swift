import Foundation

/// Runs blocking work on a thread of its own instead of the Swift concurrency pool.
///
/// Why: the cooperative pool has one thread per core (two on a small node); work that blocks for
/// milliseconds there — reading `/proc/self/smaps`, `madvise`, `malloc_trim` walking the free
/// lists — holds back every task queued behind it (reconciles, watch events, webhook requests).
public enum OffPoolThread {
    /// Runs `body` on a new thread named `name`, and returns when it has finished. Creating a thread
    /// costs tens of microseconds: for occasional work (once a minute), not for a hot path.
    public static func run(name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                Self.nameCurrentThread(name)
                body()
                c.resume()
            }
            thread.start()
        }
    }

    #if canImport(Glibc)
    /// glibc's `pthread_setname_np` / `pthread_getname_np` (GNU extensions the Glibc module does not
    /// export), looked up at run time.
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private typealias GetName = @convention(c) (pthread_t, UnsafeMutablePointer<CChar>, Int) -> Int32
    private static let names: (set: SetName, get: GetName)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let set = dlsym(handle, "pthread_setname_np"),
              let get = dlsym(handle, "pthread_getname_np") else { return nil }
        return (unsafeBitCast(set, to: SetName.self), unsafeBitCast(get, to: GetName.self))
    }()
    #endif

    /// Names the calling thread `name` (on Linux the kernel's name, at most 15 bytes, set by the
    /// thread itself, so it holds before `body` runs — what `top -H`, `perf` and gdb show).
    static func nameCurrentThread(_ name: String) {
        #if canImport(Glibc)
        if let names {
            _ = String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self).withCString { names.set(pthread_self(), $0) }
            return
        }
        #endif
        Thread.current.name = name
    }

    /// The calling thread's name as the kernel knows it (Linux), or Foundation's.
    public static func currentThreadName() -> String? {
        #if canImport(Glibc)
        if let names {
            var buffer = [UInt8](repeating: 0, count: 16)
            let rc = buffer.withUnsafeMutableBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { names.get(pthread_self(), $0, b.count) }
            }
            guard rc == 0 else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
        #endif
        return Thread.current.name
    }
}
