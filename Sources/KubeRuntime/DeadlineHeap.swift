/// A binary min-heap of `(deadline, key)` pairs: the work queue's delayed requeues.
/// Entries are never removed early; callers skip entries that no longer match their map.
struct DeadlineHeap: Sendable {
    private(set) var items: [(deadline: MonotonicInstant, key: ObjectKey)] = []

    var isEmpty: Bool { items.isEmpty }
    var first: (deadline: MonotonicInstant, key: ObjectKey)? { items.first }

    mutating func push(_ deadline: MonotonicInstant, _ key: ObjectKey) {
        items.append((deadline, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].deadline < items[parent].deadline else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    /// How many entries the buffer holds without growing.
    var capacity: Int { items.capacity }

    mutating func pop() -> (deadline: MonotonicInstant, key: ObjectKey)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l].deadline < items[smallest].deadline { smallest = l }
            if r < items.count, items[r].deadline < items[smallest].deadline { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
