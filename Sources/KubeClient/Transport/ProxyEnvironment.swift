#if canImport(Glibc)
import Glibc
#endif

/// Whether libcurl would send a request to a host through a proxy: `HTTPS_PROXY`/`https_proxy`
/// or `ALL_PROXY`/`all_proxy` set, and the host not excluded by `NO_PROXY`/`no_proxy` (`*`, or
/// comma-separated names matching the host or a domain it is in; a leading dot is allowed).
/// The HTTP/2 client speaks no proxy protocol, so such servers stay on libcurl.
enum ProxyEnvironment {
    static func appliesToHTTPS(host: String) -> Bool {
        applies(host: host, variable: { name in getenv(name).map { String(cString: $0) } })
    }

    static func applies(host: String, variable: (String) -> String?) -> Bool {
        func first(_ names: [String]) -> String? {
            for n in names { if let v = variable(n), !v.isEmpty { return v } }
            return nil
        }
        guard first(["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]) != nil else { return false }
        guard let noProxy = first(["no_proxy", "NO_PROXY"]) else { return true }
        let h = host.lowercased()
        for raw in noProxy.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: " \t").lowercased()
            if entry == "*" { return false }
            if entry.hasPrefix(".") { entry.removeFirst() }
            if entry.isEmpty { continue }
            if h == entry || h.hasSuffix("." + entry) { return false }
        }
        return true
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
