#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few path operations the configuration code needs, without Foundation's `NSString`
/// (KubeClient imports only FoundationEssentials; see docs/kubeclient.md).
enum FilePaths {
    /// The directory part of `path` (`/a/b` → `/a`, `/b` → `/`, `b` → ``), ignoring trailing slashes,
    /// like `NSString.deletingLastPathComponent`.
    static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        var dir = p[..<slash]
        while dir.count > 1, dir.hasSuffix("/") { dir = dir.dropLast() }
        return String(dir)
    }

    /// `component` appended to `base` with exactly one `/` between them.
    static func join(_ base: String, _ component: String) -> String {
        if base.isEmpty { return component }
        return base.hasSuffix("/") ? base + component : base + "/" + component
    }

    /// The current user's home directory: `$HOME`, else the password database entry, else `/`.
    static var homeDirectory: String {
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }
}
