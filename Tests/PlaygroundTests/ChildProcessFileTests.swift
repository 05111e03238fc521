import Foundation
import TestSupport
import Testing

/// `ChildProcess` with its output in files of the caller's choosing (the benchmarks keep the
/// operator's log so): stdout goes to the file, not to the line waits, which see EOF at once.
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
}
