#if canImport(Glibc)
import Glibc
#endif

/// A resolved TCP address, and name resolution.
struct SocketAddress: Sendable {
    var storage: sockaddr_storage
    var length: socklen_t
    var family: Int32 { Int32(storage.ss_family) }

    /// Resolves `host` (name or IP literal) for TCP on `port`. Blocks for a name: the loop
    /// calls it only for IP literals (`numericOnly`), names are resolved on a thread of their own.
    static func resolve(_ host: String, port: Int, numericOnly: Bool = false) -> Result<[SocketAddress], TransportFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = numericOnly ? AI_NUMERICHOST | AI_NUMERICSERV : AI_NUMERICSERV | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else { return .failure(H2Failures.resolve(host, String(cString: gai_strerror(rc)))) }
        defer { freeaddrinfo(list) }
        var out: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = list
        while let n = node {
            if let a = n.pointee.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: a, count: Int(n.pointee.ai_addrlen)))
                }
                out.append(SocketAddress(storage: storage, length: n.pointee.ai_addrlen))
            }
            node = n.pointee.ai_next
        }
        return out.isEmpty ? .failure(H2Failures.resolve(host, "no address")) : .success(out)
    }
}

/// Why a connect could not start: `strerror`'s text.
struct ConnectError: Error {
    var reason: String
}

/// Non-blocking TCP sockets for the loop.
enum TCPSocket {
    /// A non-blocking, close-on-exec socket with TCP_NODELAY and keep-alive whose connect has
    /// started (or finished); the error text when it could not even start.
    static func connect(_ address: SocketAddress) -> Result<Int32, ConnectError> {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(ConnectError(reason: String(cString: strerror(errno)))) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if rc != 0 && errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            close(fd)
            return .failure(ConnectError(reason: reason))
        }
        return .success(fd)
    }

    /// The result of a non-blocking connect once the socket is writable: nil when connected.
    static func connectError(_ fd: Int32) -> String? {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return String(cString: strerror(errno)) }
        return error == 0 ? nil : String(cString: strerror(error))
    }
}
