import Foundation

/// This process's open sockets, for tests about descriptor hygiene (Linux: lists /proc/self/fd).
enum ProcSockets {
    /// One open descriptor of a TCP socket connected to 127.0.0.1.
    struct Descriptor {
        let fd: Int32
        let closeOnExec: Bool
    }

    /// The descriptors of this process whose socket is connected to 127.0.0.1:`remotePort`.
    static func connected(toPort remotePort: Int) throws -> [Descriptor] {
        var found: [Descriptor] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let fd = Int32(name),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
                  target.hasPrefix("socket:"), peerPort(fd) == remotePort else { continue }
            let flags = fcntl(fd, F_GETFD)
            found.append(Descriptor(fd: fd, closeOnExec: flags >= 0 && flags & FD_CLOEXEC != 0))
        }
        return found
    }

    /// The remote IPv4 port of a connected socket, or nil.
    private static func peerPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
