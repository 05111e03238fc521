import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sockets libcurl opened for a loop's connections, and corking them for one loop turn.
///
/// Contract (loop thread only; curl calls the callbacks from inside `curl_multi_*` on that thread):
/// - Every socket curl opens gets close-on-exec (a child process never inherits a connection);
///   those opened for a connection are recorded with their identity (device and inode) by the
///   `CURLOPT_SOCKOPTFUNCTION` callback, and forgotten by the `CURLOPT_CLOSESOCKETFUNCTION`
///   callback, which closes them.
/// - curl closes the sockets of connection attempts that never became a connection (a refused
///   connect, the loser of a happy-eyeballs race) itself, without the close callback. So before a
///   recorded descriptor is touched its identity is checked; one that is closed or now names another
///   file is forgotten. The loop never sets an option on a descriptor that is not its connection's.
/// - `cork()` sets `TCP_CORK` on the recorded sockets (only while there are at most `corkLimit`:
///   with many HTTP/1.1 connections a turn's new requests go to one or two of them, and corking
///   every one would cost two system calls each) and returns those it set it on; `uncork` clears it
///   on those of them still recorded. The loop corks around a `curl_multi_perform` that starts
///   requests and always uncorks before it waits: between the two the kernel holds partial
///   segments back, so what the turn writes — libcurl 7.88 sends an HTTP/2 request's HEADERS and
///   its DATA with two `send` calls, each one TLS record — leaves in one segment instead of one per
///   `send` (on loopback or a veth pair each segment also costs the receiving side's processing,
///   in the sender's system call). Nothing waits for a corked socket: the turn that corked it
///   uncorks it before the loop polls again.
final class LoopSockets {
    /// What an open descriptor refers to: sockets get a fresh inode each.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64

        /// The identity of what `fd` refers to now, or nil when it is not open.
        static func of(_ fd: Int32) -> Identity? {
            var device: UInt64 = 0
            var inode: UInt64 = 0
            guard ccurl_file_identity(fd, &device, &inode) != 0 else { return nil }
            return Identity(device: UInt64(device), inode: UInt64(inode))
        }
    }

    /// Corking is skipped while more sockets than this are recorded.
    static let corkLimit = 4

    private var recorded: [Int32: Identity] = [:]

    /// The descriptors recorded now (for tests, read on the loop thread).
    var descriptors: [Int32] { recorded.keys.sorted() }

    /// The context pointer the callbacks get: this object, unretained (the loop keeps it alive
    /// for as long as curl may call them).
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    func opened(_ fd: Int32) {
        if let identity = Identity.of(fd) { recorded[fd] = identity }
    }

    func closing(_ fd: Int32) {
        recorded.removeValue(forKey: fd)
    }

    /// Sets `TCP_CORK` on every recorded socket that is still the one recorded, forgetting those
    /// that are not; returns the sockets corked, with their identities (empty above `corkLimit`;
    /// stale records are then kept until the count drops — they only cost corking, never a wrong
    /// descriptor).
    func cork() -> [(fd: Int32, identity: Identity)] {
        guard !recorded.isEmpty, recorded.count <= Self.corkLimit else { return [] }
        var corked: [(fd: Int32, identity: Identity)] = []
        for (fd, identity) in recorded {
            guard Identity.of(fd) == identity else {
                recorded.removeValue(forKey: fd)
                continue
            }
            if ccurl_set_tcp_cork(fd, 1) == 0 { corked.append((fd, identity)) }
        }
        return corked
    }

    /// Clears `TCP_CORK` on those of `sockets` that are still recorded and still the same socket:
    /// curl may have closed one meanwhile — a connection through the close callback, a failed
    /// attempt without it — and another thread may have been given its descriptor number.
    func uncork(_ sockets: [(fd: Int32, identity: Identity)]) {
        for (fd, identity) in sockets where recorded[fd] == identity && Identity.of(fd) == identity {
            _ = ccurl_set_tcp_cork(fd, 0)
        }
    }

    /// `CURLOPT_SOCKOPTFUNCTION`: close-on-exec for every socket, connections' sockets recorded.
    static let openedCallback: ccurl_sockopt_callback = { context, fd, purpose in
        ccurl_set_cloexec(fd)
        if let context, purpose == CURLSOCKTYPE_IPCXN {
            Unmanaged<LoopSockets>.fromOpaque(context).takeUnretainedValue().opened(fd)
        }
        return Int32(CURL_SOCKOPT_OK)
    }

    /// `CURLOPT_CLOSESOCKETFUNCTION`: forgets the socket and closes it.
    static let closingCallback: ccurl_closesocket_callback = { context, fd in
        if let context { Unmanaged<LoopSockets>.fromOpaque(context).takeUnretainedValue().closing(fd) }
        return close(fd)
    }
}
