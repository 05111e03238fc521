import NIOCore
import NIOHTTP1
import NIOHTTP2
import Synchronization

/// Whether the server is "down": while it is, every new connection is closed as soon as it is
/// accepted (a client sees an empty reply or a reset, as from a restarting apiserver behind a
/// load balancer). Checked by the first handler of a connection (`ServerCore.admit`):
/// `TLSOrPlainHTTP.channelActive` (servers with TLS, the default) or `HTTPHandler.channelActive`
/// (plain HTTP only).
final class OutageSwitch: Sendable {
    private let down = Atomic<Bool>(false)

    var isDown: Bool { down.load(ordering: .sequentiallyConsistent) }
    func set(_ value: Bool) { down.store(value, ordering: .sequentiallyConsistent) }
}

extension ServerCore {
    /// Registers a newly accepted connection unless the server is down; `false`: close it.
    ///
    /// The connection joins `connections` *before* the switch is read: an outage that begins
    /// meanwhile either sees it in `connections` (and closes it) or is seen here. Checking first
    /// left a window in which a connection accepted just before the outage escaped both, stayed
    /// open and served a watch through the whole outage.
    /// An admitted connection leaves `connections` when it closes, whoever closes it.
    func admit(_ channel: any Channel) -> Bool {
        connections.add(channel)
        channel.closeFuture.whenComplete { [connections] _ in connections.remove(channel) }
        if outage.isDown {
            connections.remove(channel)
            return false
        }
        return true
    }
}

/// How open watch streams end when an outage begins.
public enum OutageStreamEnd: Sendable {
    /// The connections are closed between two chunks (as `dropConnections()`).
    case dropped
    /// Each watch stream gets half of a chunk — a chunk header announcing more bytes than follow,
    /// and the start of a watch event — and then its connection is closed: the client's transfer
    /// ends mid-chunk and mid-event (libcurl error 18). Over HTTP/2: a DATA frame with the start of
    /// an event, then the connection closes without ending the stream (libcurl error 16 or 92); the
    /// other streams of that connection end with it, not all of them after a partial frame.
    case midChunk
}

extension KubeTestServer {
    /// Takes the server "down" until `endOutage()`: open streams end per `streams`, every
    /// connection is closed, and new connections are closed as soon as they are accepted. Storage
    /// keeps working (tests may change objects through `store` meanwhile), and watch history is
    /// kept, so clients can resume from where they were once it is back. Open watches are
    /// unregistered before this returns: a change made after it reaches no client before the
    /// outage ends, as with an apiserver that has gone away. Returns once every connection is
    /// closed: no request sent after it is served (closing without waiting let a client's pooled
    /// connection carry one more request before its close ran on the event loop).
    public func beginOutage(streams: OutageStreamEnd = .dropped) async {
        core.outage.set(true)
        switch streams {
        case .midChunk: breakWatchesMidChunk()
        case .dropped: _ = store.takeWatchSinks()
        }
        for closing in core.connections.all.map({ $0.close() }) {
            try? await closing.get()  // already closed is as good as closed
        }
    }

    /// Brings the server back: connections are accepted and served again.
    public func endOutage() {
        core.outage.set(false)
    }

    /// Whether an outage is in progress.
    public var isDown: Bool { core.outage.isDown }

    /// Ends every open watch stream in the middle of a chunk, then closes its connection (see
    /// `OutageStreamEnd.midChunk`); the server keeps serving new requests.
    public func breakWatchesMidChunk() {
        let sinks = store.takeWatchSinks()
        for case let sink as ChannelWatchSink in sinks {
            let channel = sink.channel
            channel.eventLoop.execute {
                let sync = channel.pipeline.syncOperations
                if let connection = channel.parent, (try? sync.handler(type: HTTP2FramePayloadToHTTP1ServerCodec.self)) != nil {
                    // HTTP/2: the start of an event in a DATA frame, then the whole connection goes
                    // (neither END_STREAM nor RST_STREAM for the stream).
                    let partial = channel.allocator.buffer(bytes: Array(#"{"type":"MODIFIED","obj"#.utf8))
                    channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(partial))).whenComplete { _ in
                        connection.close(promise: nil)
                    }
                    return
                }
                // Raw bytes below the HTTP encoder: a chunk of 0x40 bytes of which only 24 follow.
                let partial = Array("40\r\n{\"type\":\"MODIFIED\",\"obj".utf8)
                if let encoder = try? sync.context(handlerType: HTTPResponseEncoder.self) {
                    encoder.writeAndFlush(NIOAny(channel.allocator.buffer(bytes: partial)), promise: nil)
                }
                channel.close(promise: nil)
            }
        }
    }
}

extension Store {
    /// Unregisters every watcher and returns their sinks, without ending the streams.
    func takeWatchSinks() -> [any WatchSink] {
        (try? withState { s in
            let sinks = s.watchers.values.map(\.sink)
            s.watchers.removeAll()
            return sinks
        }) ?? []
    }
}
