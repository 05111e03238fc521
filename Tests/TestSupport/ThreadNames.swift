import Foundation

/// The names of a process's threads (`/proc/<process>/task/*/comm`, newline trimmed; Linux).
public enum ThreadNames {
    /// `process` is a pid or `self`. A thread that ends between the listing and the read is left out.
    public static func of(_ process: String) throws -> [String] {
        let tasks = "/proc/\(process)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap {
            try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        }
    }
}
