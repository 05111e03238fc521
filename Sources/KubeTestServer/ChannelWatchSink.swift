import NIOCore
import NIOHTTP1
import Synchronization

/// A `WatchSink` writing chunked frames to one NIO channel.
///
/// `send` may be called from any thread (the store calls it under its lock); it only enqueues onto
/// the channel's event loop, whose FIFO order preserves the store's event order. `finish` ends the
/// chunked response like the apiserver does on a watch timeout: the connection stays open for the
/// client's next request when the request allowed keep-alive, and is closed otherwise. A frame
/// racing with `finish` is dropped, never written after the end of the response.
final class ChannelWatchSink: WatchSink {
    let channel: any Channel
    let keepAlive: Bool
    private let ended = Atomic<Bool>(false)
    /// Set on the event loop when the end of the response has been written.
    private let endWritten = Atomic<Bool>(false)

    init(channel: any Channel, keepAlive: Bool) {
        self.channel = channel
        self.keepAlive = keepAlive
    }

    /// Frames enqueued but not yet written; the last one of a burst flushes (one syscall per burst).
    private let queued = Atomic<Int>(0)

    func send(_ parts: [[UInt8]]) {
        if ended.load(ordering: .relaxed) { return }
        let channel = self.channel
        queued.add(1, ordering: .relaxed)
        channel.eventLoop.execute { [self] in
            if endWritten.load(ordering: .relaxed) {
                queued.subtract(1, ordering: .relaxed)
                return
            }
            var buffer = channel.allocator.buffer(capacity: parts.reduce(0) { $0 + $1.count })
            for p in parts { buffer.writeBytes(p) }
            channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
            if self.queued.subtract(1, ordering: .relaxed).newValue == 0 { channel.flush() }
        }
    }

    func finish() {
        guard !ended.exchange(true, ordering: .relaxed) else { return }
        let channel = self.channel
        let keepAlive = self.keepAlive
        channel.eventLoop.execute { [self] in
            endWritten.store(true, ordering: .relaxed)
            let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
        }
    }
}
