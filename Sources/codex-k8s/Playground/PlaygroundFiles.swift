import Foundation

/// The files `codex-k8s dev` writes into its `--dir` (default `.codex-dev`), so that
/// `codex-k8s dev deliver` and `codex-k8s events` in a second terminal find the playground
/// without being told: the admin `kubeconfig`, the webhook's generated `webhook-secret` and its
/// `webhook-url`, and (with an audit database) `database-url`. Secrets are written mode 0600 and
/// never printed; the files are overwritten by the next `codex-k8s dev` in the same directory.
struct PlaygroundFiles {
    let directory: URL

    init(directory: String) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL
    }

    var kubeconfig: String { path("kubeconfig") }
    var webhookSecret: String { path("webhook-secret") }
    var webhookURL: String { path("webhook-url") }
    var databaseURL: String { path("database-url") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` (plus a newline) to `path`, readable only by the owner.
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw PlaygroundError("cannot write \(path)")
        }
        // createFile keeps the mode of an existing file: make sure it is 0600.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// The first line of `path`, or a `PlaygroundError` saying what to do.
    static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlaygroundError("cannot read \(what) from \(path): is `codex-k8s dev` running with that --dir?")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw PlaygroundError("\(path) is empty") }
        return text
    }

    /// A fresh webhook secret: 32 random bytes as 64 hex digits.
    static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// A playground failure with a one-line message for the terminal.
struct PlaygroundError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
