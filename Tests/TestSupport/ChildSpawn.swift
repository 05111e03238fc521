import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawn` for `ChildProcess`, with what Foundation's `Process` does not give on Linux:
///
/// - the child starts with every signal at its default action and none blocked — a test runner
///   started in the background of a non-interactive shell (`cmd &`, as CI scripts do) ignores
///   SIGINT and SIGQUIT, `Process` passes that on, and a child that relies on the default action
///   (`codex-k8s events --follow`) then ignores the Ctrl-C a test sends and never exits;
/// - the child inherits exactly stdin, stdout and stderr, atomically (glibc's close-from action):
///   `Process` closes the descriptors open when it scans, so a pipe another test opens at the same
///   moment can leak into this child and withhold that test's EOF;
/// - its own process group (as `Process` does), so a Ctrl-C at the terminal reaches only the runner.
enum ChildSpawn {
    /// Starts `executable`; `stdin`/`stdout`/`stderr` become the child's 0, 1 and 2. Returns the pid.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String], directory: String?,
                      stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let directory {
            guard let addChdir = Self.addChdir else { throw ChildSpawnError("posix_spawn_file_actions_addchdir_np is missing") }
            _ = directory.withCString { addChdir(&actions, $0) }
        }
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 {
        } else {
            // Without glibc 2.34: close what is open now (a descriptor opened meanwhile may slip through).
            for fd in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap({ Int32($0) })
            where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard status == 0 else { throw ChildSpawnError("cannot start \(executable): \(String(cString: strerror(status)))") }
        return pid
    }

    /// This process's environment without the variables in `unsetting`, with `overrides` merged over it.
    static func environment(_ overrides: [String: String], unsetting: Set<String> = []) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !unsetting.contains($0.key) }.merging(overrides) { $1 }
    }

    /// Blocks until `pid` has exited (call it on a thread of its own) WITHOUT reaping it: the pid
    /// stays a zombie, so a `kill` sent until `wait` reaps it cannot reach another process that
    /// was given the same number (pid_max may be as small as 32768, and a test run starts many).
    static func awaitExit(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    }

    /// Waits for `pid` (blocking; call it on a thread of its own) and reaps it: the exit status,
    /// or 128+signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// A pipe whose two ends are close-on-exec (no other child inherits them): (read, write).
    static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard let pipe2 = Self.pipe2, pipe2(&fds, O_CLOEXEC) == 0 else { throw ChildSpawnError("pipe2: \(String(cString: strerror(errno)))") }
        return (fds[0], fds[1])
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, 2.29's `posix_spawn_file_actions_addchdir_np`
    /// and `pipe2` (none exported by Swift's Glibc module), looked up once.
    private static let addCloseFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: CloseFrom.self)
    }
    private static let addChdir: Chdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: Chdir.self) }
    private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
}

/// Why a child could not be started.
public struct ChildSpawnError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
