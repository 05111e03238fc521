import Foundation
import KubeAPI
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line:
/// `{"time":"<RFC 3339 ms>","level":"info","logger":"<label>","message":"...", <metadata>...}`.
///
/// Metadata (handler, provider and per-call, later wins) is merged at the top level; keys that
/// collide with the fixed fields are prefixed with `meta.`. Values under keys that look like
/// credentials (`token`, `password`, `secret`, `authorization`, case-insensitive substrings) are
/// replaced by `"[REDACTED]"`, so a careless call site cannot leak them.
public struct JSONLogHandler: LogHandler {
    /// Where finished lines go (stdout by default); called with the line without its newline.
    public typealias Output = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
                output: @escaping Output = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output(Self.line(time: Date(), level: event.level, label: label, message: event.message.description,
                         metadata: mergedMetadata(event.metadata)))
    }

    private func mergedMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        let provided = metadataProvider?.get()
        if provided?.isEmpty ?? true {
            // Nothing to merge into: the one non-empty dictionary as it is, not a copy.
            if metadata.isEmpty { return explicit ?? [:] }
            if explicit?.isEmpty ?? true { return metadata }
        }
        var merged = metadata
        if let provided { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        return merged
    }

    /// Renders one log line (exposed for tests and for other handlers' reuse).
    public static func line(time: Date, level: Logger.Level, label: String, message: String,
                            metadata: Logger.Metadata) -> String {
        String(decoding: JSONLogLine.render(time: KubeTime(time, precision: .micro).rfc3339, level: level.rawValue, label: label,
                                            message: message, metadata: metadata), as: UTF8.self)
    }

    static func isSensitive(_ key: String) -> Bool { JSONLogLine.isSensitive(key) }

    /// Writes the line and a newline to standard output (file descriptor 1), lines never interleaved.
    public static let standardOutput: Output = { line in
        var text = line
        text.append("\n")
        stdoutLock.withLock { _ in
            text.withUTF8 { p in
                var offset = 0
                while offset < p.count {
                    let n = write(1, p.baseAddress! + offset, p.count - offset)
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
                }
            }
        }
    }

    private static let stdoutLock = Mutex(())
}
