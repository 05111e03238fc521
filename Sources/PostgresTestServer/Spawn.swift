import Foundation

/// Starts programs with `posix_spawn` and waits with `waitpid` (Foundation's `Process` can miss the exit
/// of a child whose grandchild daemonizes, as `pg_ctl start` does).
///
/// The child inherits exactly three descriptors: stdin, stdout and stderr. Everything else the
/// parent has open is closed in the child, close-on-exec or not. This matters: libcurl and NIO
/// create their sockets without `FD_CLOEXEC`, and a long-lived child (the PostgreSQL server that
/// `pg_ctl start` daemonizes) holding copies of them keeps every such TCP connection open after
/// the parent closes it — a client then reuses a connection nobody reads and waits forever.
public enum Spawn {
    /// Starts `executable` with `arguments`; its stdin is /dev/null, stdout/stderr go to the given
    /// descriptors (inherited when `nil`); no other descriptor reaches the child. With `newSession`
    /// the child leads a session of its own (`setsid`), so killing this process's group — a CI
    /// timeout, `kill -- -PGID` — does not kill it (for watchdogs that must outlive us). Returns the pid.
    public static func start(_ executable: String, _ arguments: [String], stdout: Int32? = nil,
                             stderr: Int32? = nil, environment: [String: String]? = nil,
                             newSession: Bool = false) throws -> pid_t
    {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newSession { posix_spawnattr_setflags(&attributes, Self.setsidFlag) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if let stderr { posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
        closeInheritedDescriptors(&actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard status == 0 else { throw LocalPostgresError.command("cannot start \(executable): errno \(status)") }
        return pid
    }

    /// glibc's `POSIX_SPAWN_SETSID` (GNU extension, 2.26+; not exported by Swift's Glibc module).
    static let setsidFlag: Int16 = 0x80

    /// Waits for `pid` to exit; returns its exit status (128+signal when killed).
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Reads `fd` on a thread of its own until EOF, passing each complete line (without its newline)
    /// to `onLine`, and a final unterminated one too; then closes `fd` and calls `onEnd`.
    public static func readLines(_ fd: Int32, onLine: @escaping @Sendable (String) -> Void,
                                 onEnd: @escaping @Sendable () -> Void = {})
    {
        Thread.detachNewThread {
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &chunk, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                buffer.append(contentsOf: chunk[..<n])
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
            }
            if !buffer.isEmpty { onLine(String(decoding: buffer, as: UTF8.self)) }
            close(fd)
            onEnd()
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+; not exported by Swift's Glibc
    /// module, so looked up once): closes every descriptor from 3 up in the child, atomically
    /// with respect to descriptors other threads open meanwhile.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Adds the actions that leave the child only descriptors 0, 1 and 2. Without glibc's
    /// close-from action, closes each descriptor open now (one opened concurrently may slip through).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
