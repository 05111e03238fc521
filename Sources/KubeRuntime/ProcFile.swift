#if canImport(Glibc)
import Glibc

/// Reading `/proc` files without Foundation: `StartupPages` reads `/proc/self/smaps`, the operator
/// benchmark `/proc/PID/status` and `smaps` of its children.
public enum ProcFile {
    /// The lines of a file, without their newlines, read to its end with `getline` (Foundation's
    /// `contentsOfFile` trusts the size `/proc` reports, 0, and may stop after the first block);
    /// empty when it cannot be read.
    public static func lines(of path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var result: [String] = []
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&buffer, &capacity, file) > 0, let buffer {
            var line = String(cString: buffer)
            if line.hasSuffix("\n") { line.removeLast() }
            result.append(line)
        }
        free(buffer)
        return result
    }
}
#endif
