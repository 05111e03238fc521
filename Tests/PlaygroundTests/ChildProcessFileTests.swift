import Foundation
import TestSupport
import Testing

/// `ChildProcess`'s options: output in files of the caller's choosing (the benchmarks keep the
/// operator's log so: stdout goes to the file, not to the line waits, which see EOF at once), stderr
/// read as lines as well (`codex-k8s events --follow` says on stderr when it follows), and inherited
/// environment variables left out (`CODEX_K8S_DATABASE_URL` for the audit CLI tests).
struct ChildProcessFileTests {
    @Test func stdoutAndStderrGoToTheNamedFiles() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("child-files-\(UUID().uuidString)")
        let (out, err) = (base.appendingPathExtension("out"), base.appendingPathExtension("err"))
        defer { for file in [out, err] { try? FileManager.default.removeItem(at: file) } }
        let child = try ChildProcess("/bin/sh", ["-c", "read x; echo to-stdout; echo to-stderr >&2; exit 4"], stdin: true,
                                     stdoutFile: out, stderrFile: err)
        defer { child.kill() }
        #expect(await child.remainingLines(timeout: .seconds(60)) == [], "stdout is not a pipe to this process")
        #expect(child.isRunning, "the waits ended before the child did")
        try child.input?.close()
        #expect(await child.exitStatus() == 4)
        #expect(try String(contentsOf: out, encoding: .utf8) == "to-stdout\n")
        #expect(try String(contentsOf: err, encoding: .utf8) == "to-stderr\n")
        #expect(child.stderr == err)
        #expect(child.errorText == "to-stderr\n")
    }

    @Test func stderrLinesAreAwaitedAndStillKeptForTheTranscript() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo out-1; echo err-1 >&2; read x; echo err-2 >&2; sleep 60"], stdin: true,
                                     stderrLines: true)
        defer { child.kill() }
        #expect(await child.errorLine { _ in true } == "err-1")
        #expect(await child.line { _ in true } == "out-1", "stdout is read apart from stderr")
        child.input?.write(Data("go\n".utf8))
        #expect(await child.errorLine { $0.hasPrefix("err") } == "err-2")
        child.kill()
        _ = await child.exitStatus()
        #expect(child.errorText == "err-1\nerr-2\n")
        let plain = try ChildProcess("/bin/sh", ["-c", "echo err >&2"])
        defer { plain.kill() }
        #expect(await plain.errorLine(timeout: .seconds(1)) { _ in true } == nil, "without stderrLines there are none to wait for")
    }

    @Test func unsetVariablesAreNotInherited() async throws {
        let environment = ProcessInfo.processInfo.environment
        let inherited = try #require(environment["HOME"] != nil ? "HOME" : environment.keys.sorted().first)
        let names = { (out: String) in out.split(separator: "\n").map { String($0.prefix { $0 != "=" }) } }
        let child = try ChildProcess("/usr/bin/env", [], unsetting: [inherited])
        defer { child.kill() }
        let lines = try #require(await child.remainingLines())
        #expect(!lines.isEmpty && !names(lines.joined(separator: "\n")).contains(inherited))
        #expect(!names(try await Command.run("/usr/bin/env", [], unsetting: [inherited]).out).contains(inherited))
        #expect(try await Command.run("/usr/bin/env", [], environment: [inherited: "mine"], unsetting: [inherited]).out
                    .split(separator: "\n").contains("\(inherited)=mine"),
                "an override is set even when the inherited value is left out")
        #expect(names(try await Command.run("/usr/bin/env", []).out).contains(inherited))
    }
}
