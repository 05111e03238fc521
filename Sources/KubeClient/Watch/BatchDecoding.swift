import KubeAPI

/// Decodes a stream of record batches into event batches (an iterator for an `IteratorBox`). A
/// record that fails ends the stream: the events decoded before it in its batch come first, the
/// error on the next call, nothing after it.
struct BatchDecoding<Object: Decodable & Sendable>: AsyncIteratorProtocol {
    private var records: AsyncThrowingStream<[[UInt8]], any Error>.AsyncIterator
    private let decoder: WatchEventDecoder<Object>
    private var failure: (any Error)?
    private var ended = false

    init(_ records: AsyncThrowingStream<[[UInt8]], any Error>.AsyncIterator, _ decoder: WatchEventDecoder<Object>) {
        self.records = records
        self.decoder = decoder
    }

    mutating func next() async throws -> [WatchEvent<Object>]? {
        if ended { return nil }
        if let failure {
            ended = true
            throw failure
        }
        while true {
            let batch: [[UInt8]]?
            do {
                batch = try await records.next()
            } catch {
                ended = true
                throw error
            }
            guard let batch else {
                ended = true
                return nil
            }
            var events: [WatchEvent<Object>] = []
            events.reserveCapacity(batch.count)
            for record in batch {
                do {
                    events.append(try decoder.decode(record))
                } catch {
                    if events.isEmpty {
                        ended = true
                        throw error
                    }
                    failure = error
                    return events
                }
            }
            if !events.isEmpty { return events }
        }
    }
}
