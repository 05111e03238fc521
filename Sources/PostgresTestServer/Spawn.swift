import Foundation

/// Starts programs with `posix_spawn` and waits with `waitpid` (Foundation's `Process` can miss the exit
/// of a child whose grandchild daemonizes, as `pg_ctl start` does).
public enum Spawn {
    /// Starts `executable` with `arguments`; its stdin is /dev/null, stdout/stderr go to the given
    /// descriptors (inherited when `nil`). Returns the pid.
    public static func start(_ executable: String, _ arguments: [String], stdout: Int32? = nil,
                             stderr: Int32? = nil, environment: [String: String]? = nil) throws -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if let stderr { posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard status == 0 else { throw LocalPostgresError.command("cannot start \(executable): errno \(status)") }
        return pid
    }

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
}
