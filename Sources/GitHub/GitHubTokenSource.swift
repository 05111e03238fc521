#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The token, read from its file at every request (a few system calls; GitHub requests are
/// rare), so a rotated Secret is used from the next request on.
///
/// Contract: `current()` is the file's content without surrounding whitespace, or `nil` when no
/// file is configured, it cannot be read or it is empty (reporting is then off: `.disabled`).
/// The token is never logged or put in an error by this type.
struct GitHubTokenSource: Sendable {
    let path: String?

    func current() -> String? {
        guard let path else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 64 * 1024 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return nil
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
