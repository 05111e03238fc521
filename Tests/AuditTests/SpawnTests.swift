import Foundation
import PostgresTestServer
import Testing

/// A child started by `Spawn` receives stdin, stdout and stderr and nothing else — in particular
/// no socket of the parent, even one without close-on-exec (libcurl and NIO create theirs so).
@Suite(.timeLimit(.minutes(1))) struct SpawnTests {
    @Test func childInheritsOnlyTheThreeStandardDescriptors() throws {
        let inheritable = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(inheritable >= 0)
        defer { close(inheritable) }
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devNull) }
        // posix_spawn returns after the exec, so the child's descriptor table is final here.
        let pid = try Spawn.start("/bin/sleep", ["30"], stdout: devNull, stderr: devNull)
        defer {
            kill(pid, SIGKILL)
            Spawn.wait(pid)
        }
        // (The dynamic loader may still be opening the child's own libraries: those are files, or
        // gone by the time we look — "?". Inherited descriptors stay, since sleep never closes them.)
        let entries = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        let targets = entries.map { ($0, (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "?") }
        #expect(Set(entries.compactMap { Int($0) }).isSuperset(of: [0, 1, 2]), "descriptors of the child: \(targets)")
        let foreign = targets.filter { Int($0.0).map { $0 > 2 } ?? false }.filter { $0.1 != "?" && !$0.1.hasPrefix("/") }
        #expect(foreign.isEmpty, "the child holds descriptors of its parent: \(targets)")
        #expect(!targets.contains { $0.1.hasPrefix("socket:") }, "a socket reached the child: \(targets)")
    }

    /// A watchdog must survive the killing of our process group: with `newSession` the child leads
    /// a session (and group) of its own.
    @Test func aNewSessionChildIsOutsideOurProcessGroup() throws {
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devNull) }
        let detached = try Spawn.start("/bin/sleep", ["30"], stdout: devNull, stderr: devNull, newSession: true)
        let attached = try Spawn.start("/bin/sleep", ["30"], stdout: devNull, stderr: devNull)
        defer {
            for pid in [detached, attached] {
                kill(pid, SIGKILL)
                Spawn.wait(pid)
            }
        }
        #expect(getsid(detached) == detached, "leads its own session")
        #expect(getpgid(detached) == detached)
        #expect(getpgid(detached) != getpgid(0))
        #expect(getpgid(attached) == getpgid(0), "by default the child stays in our group")
    }
}
