/// A FIFO with amortised O(1) append and removal at the front, growing up to what it is given.
struct RingBuffer<Element> {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    @discardableResult
    mutating func removeFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
    }

    var first: Element? { count > 0 ? storage[head] : nil }

    /// Removes and returns up to `max` elements from the front, oldest first.
    mutating func removeFirst(upTo max: Int) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(Swift.min(max, count))
        while out.count < max, let element = removeFirst() { out.append(element) }
        return out
    }

    private mutating func grow() {
        let newCapacity = Swift.max(16, storage.count * 2)
        var newStorage = [Element?](repeating: nil, count: newCapacity)
        for i in 0..<count { newStorage[i] = storage[(head + i) % storage.count] }
        storage = newStorage
        head = 0
    }
}
