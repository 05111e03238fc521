import CPostgres
import Foundation

/// A throwaway PostgreSQL server for tests and benchmarks: `initdb` into a fresh temporary directory,
/// listening on 127.0.0.1 on a free port (no Unix socket outside that directory), trust auth for user
/// `postgres`. `stop()` shuts it down and deletes the directory.
///
/// PostgreSQL refuses to run as root; when the process is root, the server commands run as the
/// `postgres` system user (`runuser`) and the directory is handed to that user. Binaries are found in
/// `$CODEX_K8S_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`, else `PATH`.
public final class LocalPostgres: Sendable {
    public let port: Int
    public let directory: String
    private let binaries: String
    private let runAsPostgres: Bool

    private var dataDirectory: String { directory + "/data" }

    /// `initdb` + start; `durable: false` turns off fsync and full-page writes (fine for tests: nothing
    /// survives a host crash). Either way a commit is acknowledged only once its WAL is written to the
    /// OS (`synchronous_commit` stays on), so a server crash (`stopServer(immediate: true)`) loses no
    /// acknowledged transaction — with `synchronous_commit = off` it would silently lose the last
    /// ~200 ms of commits (a CREATE TABLE, a batch of rows), which crash-recovery tests must not see.
    public static func start(durable: Bool = false) throws -> LocalPostgres {
        let binaries = try findBinaries()
        var template = Array("\(NSTemporaryDirectory())/codex-k8s-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw LocalPostgresError.setup("mkdtemp failed") }
        let directory = String(cString: created)
        let runAsPostgres = geteuid() == 0
        if runAsPostgres {
            guard let user = getpwnam("postgres") else {
                throw LocalPostgresError.setup("running as root but there is no `postgres` user")
            }
            chown(directory, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        let server = LocalPostgres(port: try freePort(), directory: directory, binaries: binaries,
                                   runAsPostgres: runAsPostgres)
        do {
            try server.run("initdb", ["-D", server.dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                      "--no-sync", "--no-instructions"])
            var settings = "max_connections = 200\nlisten_addresses = '127.0.0.1'\nport = \(server.port)\n"
            settings += "unix_socket_directories = '\(directory)'\n"
            if !durable { settings += "fsync = off\nfull_page_writes = off\n" }
            try server.appendConfiguration(settings)
            try server.startServer()
            try server.startWatchdog()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        return server
    }

    private init(port: Int, directory: String, binaries: String, runAsPostgres: Bool) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.runAsPostgres = runAsPostgres
    }

    /// A connection URL for `database`. Trust auth ignores a `password`; give one to check that it is
    /// never shown. `options` become the URL's `options` parameter (e.g. `-c lock_timeout=100`).
    public func url(database: String = "postgres", password: String? = nil, options: String? = nil) -> String {
        let credentials = password.map { "postgres:\($0)" } ?? "postgres"
        var url = "postgresql://\(credentials)@127.0.0.1:\(port)/\(database)"
        if let options {
            url += "?options=" + (options.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? options)
        }
        return url
    }

    /// Stops the server: `immediate` is a crash (no checkpoint, connections cut), else a clean stop.
    public func stopServer(immediate: Bool = false) throws {
        try run("pg_ctl", ["stop", "-D", dataDirectory, "-w", "-m", immediate ? "immediate" : "fast"])
    }

    /// Starts the server again on the same port and data (after `stopServer`).
    public func startServer() throws {
        do {
            try run("pg_ctl", ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", directory + "/server.log"])
        } catch LocalPostgresError.command(let message) {
            // pg_ctl only says "stopped waiting"; the reason is in the server's own log.
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw LocalPostgresError.command("\(message) — server log: \(log.suffix(2_000))")
        }
    }

    /// A detached shell that outlives us only to clean up: once this process is gone (a test run
    /// killed by a timeout, a crash), it stops the server and deletes the directory within a second.
    /// It runs in a session of its own, so killing our whole process group does not take it along
    /// (that left a PostgreSQL server running).
    private func startWatchdog() throws {
        let pgCtl = runAsPostgres ? "'\(Self.runuser)' -u postgres -- '\(binaries)/pg_ctl'" : "'\(binaries)/pg_ctl'"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
            + "\(pgCtl) stop -D '\(dataDirectory)' -m immediate >/dev/null 2>&1; rm -rf '\(directory)'"
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devNull) }
        _ = try Spawn.start("/bin/sh", ["-c", script], stdout: devNull, stderr: devNull, newSession: true)
    }

    /// Stops the server and deletes its directory.
    public func stop() {
        try? stopServer()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Creates a database with a unique name and returns the name.
    public func createDatabase(prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try query("CREATE DATABASE \(name)")
        return name
    }

    /// Runs SQL (test setup and inspection; values of tests are constants) and returns the rows as text.
    @discardableResult
    public func query(_ sql: String, database: String = "postgres") throws -> [[String?]] {
        try PostgresSession(self, database: database).execute(sql)
    }

    private func appendConfiguration(_ text: String) throws {
        let path = dataDirectory + "/postgresql.conf"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let executable = "\(binaries)/\(tool)"
        let output = directory + "/\(tool).out"
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LocalPostgresError.setup("cannot create \(output)") }
        defer { close(fd) }
        let pid = runAsPostgres
            ? try Spawn.start(Self.runuser, ["-u", "postgres", "--", executable] + arguments, stdout: fd, stderr: fd)
            : try Spawn.start(executable, arguments, stdout: fd, stderr: fd)
        guard Spawn.wait(pid) == 0 else {
            let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw LocalPostgresError.command("\(tool) \(arguments.joined(separator: " ")) failed: \(log)")
        }
    }

    private static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "runuser"
    }

    private static func findBinaries() throws -> String {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["CODEX_K8S_PG_BIN"], fm.fileExists(atPath: dir + "/initdb") {
            return dir
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: root)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions where fm.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where fm.isExecutableFile(atPath: "\(dir)/initdb") && fm.isExecutableFile(atPath: "\(dir)/pg_ctl") {
            return String(dir)
        }
        throw LocalPostgresError.setup("no PostgreSQL server binaries (initdb, pg_ctl); install the `postgresql` package")
    }

    /// A port that was free a moment ago on 127.0.0.1, chosen below the kernel's ephemeral range.
    ///
    /// Every test server binding port 0 and every outgoing connection takes its port from the
    /// ephemeral range; a port picked there could be taken by one of them in the seconds before
    /// PostgreSQL binds it (or while it is down in a restart test), failing the start.
    private static func freePort() throws -> Int {
        let ephemeralLow = ephemeralRangeStart()
        let low = 10_000
        if ephemeralLow > low + 1_000 {
            for _ in 0..<200 {
                let candidate = Int.random(in: low..<ephemeralLow)
                if let port = try bindProbe(candidate) { return port }
            }
        }
        guard let port = try bindProbe(0) else { throw LocalPostgresError.setup("bind failed") }
        return port
    }

    /// The first port of `net.ipv4.ip_local_port_range` (32768 when unreadable).
    private static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
    }

    /// Binds 127.0.0.1:`port` (0: any) and releases it; returns the bound port, nil when taken.
    private static func bindProbe(_ port: Int) throws -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalPostgresError.setup("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}

public enum LocalPostgresError: Error, CustomStringConvertible {
    case setup(String)
    case command(String)
    case sql(String)

    public var description: String {
        switch self {
        case .setup(let m): "local PostgreSQL setup: \(m)"
        case .command(let m): "local PostgreSQL: \(m)"
        case .sql(let m): "SQL failed: \(m)"
        }
    }
}
