import Foundation
import Synchronization
import TestSupport
import Testing

/// `TestSupport.ChildProcess` and `Command`, the runners of every child-process test (here because this target
/// depends on TestSupport alone): bounded waits that fail with the child's output instead of
/// hanging, cancellation that loses no line, EOF at exit, and children that start with default
/// signal actions.
struct ChildProcessTests {
    @Test func aWaitThatTimesOutFailsWithTheChildsStdoutAndStderrAndTheNextWaitGoesOn() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo first; echo on-stderr >&2; read x; echo second; sleep 60"], stdin: true)
        defer { child.kill() }
        #expect(await child.line(containing: "first") == "first")
        // No `third` ever comes: the wait ends at its deadline with a failure naming what was seen.
        await withKnownIssue {
            #expect(await child.line(containing: "third", timeout: .seconds(1)) == nil)
        } matching: { issue in
            let text = String(describing: issue)
            return text.contains("no matching stdout line within") && text.contains("first") && text.contains("on-stderr")
        }
        child.input?.write(Data("go\n".utf8))
        #expect(await child.line { _ in true } == "second", "the timed-out wait consumed nothing after it")
    }

    @Test func aCancelledWaitReturnsNilAndLosesNoLine() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "read x; echo after-cancel; sleep 60"], stdin: true)
        defer { child.kill() }
        let waiting = Task { await child.line { _ in true } }
        waiting.cancel()
        #expect(await waiting.value == nil)
        child.input?.write(Data("go\n".utf8))
        #expect(await child.line { _ in true } == "after-cancel")
    }

    @Test func stdoutEndsAtExitAndTheStatusIsReported() async throws {
        let (status, out) = try await ChildProcess.output("/bin/sh", ["-c", "echo one; printf two; exit 3"])
        #expect(status == 3)
        #expect(out == "one\ntwo\n")
        let killed = try ChildProcess("/bin/sh", ["-c", "sleep 60"])
        killed.kill()
        #expect(await killed.exitStatus() == 128 + SIGKILL)
        #expect(!killed.isRunning)
    }

    @Test func anExitThatDoesNotComeFailsAndKillsTheChild() async throws {
        // Longer than any stall of a loaded full run: the kill comes after the timed-out wait's task
        // has resumed (it needs a pool thread), and the child must still be running then — with
        // `sleep 60` a run whose pool was busy for a minute saw the child's own exit (status 0).
        let child = try ChildProcess("/bin/sh", ["-c", "echo started; sleep 600"])
        defer { child.kill() }
        await withKnownIssue {
            #expect(await child.exitStatus(timeout: .seconds(1)) == nil)
        } matching: { String(describing: $0).contains("did not exit within") }
        #expect(await child.exitStatus() == 128 + SIGKILL)
    }

    @Test func aCommandRunsToItsEndOrIsKilledAtItsDeadline() async throws {
        let done = try await Command.run("/bin/sh", ["-c", "printf out; printf err >&2; exit 4"])
        #expect(done.status == 4 && done.out == "out" && done.err == "err", "\(done)")
        try await withKnownIssue {
            let hung = try await Command.run("/bin/sh", ["-c", "echo partial; sleep 60"], timeout: .seconds(1))
            #expect(hung.status == -1 && hung.out == "partial\n", "\(hung)")
        } matching: { issue in
            let text = String(describing: issue)
            return text.contains("did not finish within") && text.contains("partial")
        }
    }

    /// A test runner started in the background of a non-interactive shell ignores SIGINT; its
    /// children must not inherit that, or a Ctrl-C (`interrupt()`) never stops them.
    @Test func childrenStartWithNoSignalIgnoredOrBlocked() async throws {
        let (status, out) = try await ChildProcess.output("/bin/grep", ["-E", "^Sig(Ign|Blk):", "/proc/self/status"])
        #expect(status == 0)
        // SIGHUP, SIGINT, SIGQUIT, SIGTERM (bits 0, 1, 2, 14); glibc's own real-time signals are out of reach.
        let masks = out.split(separator: "\n").compactMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
        #expect(masks.count == 2 && masks.allSatisfy { $0 & 0x4007 == 0 }, "\(out)")
    }
}
