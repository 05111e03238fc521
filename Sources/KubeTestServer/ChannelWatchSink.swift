import NIOCore
import NIOHTTP1
import Synchronization

/// A `WatchSink` writing chunked frames to one NIO channel.
///
/// `send` may be called from any thread (the store calls it under its lock); it only enqueues onto
/// the channel's event loop, whose FIFO order preserves the store's event order. `finish` ends the
/// chunked response and closes the connection (as a watch timeout or `cutWatches` would).
final class ChannelWatchSink: WatchSink {
    let channel: any Channel
    private let ended = Atomic<Bool>(false)

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Frames enqueued but not yet written; the last one of a burst flushes (one syscall per burst).
    private let queued = Atomic<Int>(0)

    func send(_ parts: [[UInt8]]) {
        if ended.load(ordering: .relaxed) { return }
        let channel = self.channel
        queued.add(1, ordering: .relaxed)
        channel.eventLoop.execute { [self] in
            var buffer = channel.allocator.buffer(capacity: parts.reduce(0) { $0 + $1.count })
            for p in parts { buffer.writeBytes(p) }
            channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
            if self.queued.subtract(1, ordering: .relaxed).newValue == 0 { channel.flush() }
        }
    }

    func finish() {
        guard !ended.exchange(true, ordering: .relaxed) else { return }
        let channel = self.channel
        channel.eventLoop.execute {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}
