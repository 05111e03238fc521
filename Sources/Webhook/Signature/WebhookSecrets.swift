import Foundation
import Runs
import Synchronization

/// The shared webhook secrets (several, for rotation), from environment variables and files.
///
/// Contract: environment values are read once, at `init`; files are re-read whenever their
/// modification time, size or inode changes (checked with one `stat` per `current()` call), so a
/// rotated Kubernetes Secret volume is picked up without a restart. A file that cannot be read
/// keeps its last good value. Trailing newlines are not part of a secret. Empty values are not
/// secrets. The values never appear in `description`, logs or errors.
public final class WebhookSecrets: Sendable, CustomStringConvertible {
    private struct FileState {
        var path: String
        var stamp: FileStamp?
        var value: [UInt8]?
    }

    private struct FileStamp: Equatable {
        var mtime: timespec
        var size: off_t
        var inode: ino_t

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec && a.size == b.size && a.inode == b.inode
        }
    }

    private let fixed: [[UInt8]]
    private let files: Mutex<[FileState]>
    /// Where the secrets come from (names and paths only).
    public let sources: [WebhookSettings.SecretSource]

    /// Reads `sources`; `environment` defaults to the process environment.
    public init(sources: [WebhookSettings.SecretSource], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.sources = sources
        var fixed: [[UInt8]] = []
        var files: [FileState] = []
        for source in sources {
            switch source {
            case .env(let name):
                if let value = environment[name].map(Self.trimmed), !value.isEmpty { fixed.append(value) }
            case .file(let path):
                files.append(FileState(path: path))
            }
        }
        self.fixed = fixed
        self.files = Mutex(files)
    }

    /// Fixed secrets given directly (tests, the playground).
    public init(values: [String]) {
        sources = []
        fixed = values.map { Self.trimmed($0) }.filter { !$0.isEmpty }
        files = Mutex([])
    }

    /// The secrets now in force (files re-read when they changed).
    public func current() -> [[UInt8]] {
        let fromFiles: [[UInt8]] = files.withLock { states in
            for i in states.indices { Self.refresh(&states[i]) }
            return states.compactMap(\.value)
        }
        return fixed + fromFiles
    }

    /// True when no secret is configured and readable now.
    public var isEmpty: Bool { current().isEmpty }

    public var description: String {
        let names = sources.map { source -> String in
            switch source {
            case .env(let name): "env \(name)"
            case .file(let path): "file \(path)"
            }
        }
        return "WebhookSecrets(\(names.joined(separator: ", ")))"
    }

    private static func refresh(_ state: inout FileState) {
        var st = stat()
        guard stat(state.path, &st) == 0 else { return }
        #if os(macOS)
        let stamp = FileStamp(mtime: st.st_mtimespec, size: st.st_size, inode: st.st_ino)
        #else
        let stamp = FileStamp(mtime: st.st_mtim, size: st.st_size, inode: st.st_ino)
        #endif
        if stamp == state.stamp { return }
        guard let data = FileManager.default.contents(atPath: state.path) else { return }
        let value = trimmed(String(decoding: data, as: UTF8.self))
        state.stamp = stamp
        state.value = value.isEmpty ? nil : value
    }

    static func trimmed(_ s: String) -> [UInt8] {
        var bytes = Array(s.utf8)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return bytes
    }
}
