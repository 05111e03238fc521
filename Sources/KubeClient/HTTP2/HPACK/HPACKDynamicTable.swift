/// HPACK's dynamic table (RFC 7541 §2.3.2, §4): newest entry first, bounded by a size in octets.
///
/// A ring buffer: inserting evicts the oldest entries until the new one fits; an entry larger than
/// the whole table empties it and is not kept (§4.4).
struct HPACKDynamicTable {
    private var ring: [HPACKField?] = []
    /// Position of the oldest entry in `ring`.
    private var head = 0
    private(set) var count = 0
    /// The sum of the entries' `tableSize`.
    private(set) var size = 0
    /// The current limit (changed by dynamic table size updates).
    private(set) var maxSize: Int

    init(maxSize: Int) {
        self.maxSize = maxSize
    }

    /// The entry at dynamic index `i` (0 is the newest), or nil past the end.
    subscript(i: Int) -> HPACKField? {
        guard i >= 0, i < count else { return nil }
        return ring[(head + count - 1 - i) % ring.count]
    }

    /// Adds `field` as the newest entry, evicting as needed.
    mutating func insert(_ field: HPACKField) {
        let needed = field.tableSize
        guard needed <= maxSize else {
            removeAll()
            return
        }
        evict(toFit: maxSize - needed)
        if count == ring.count { grow() }
        ring[(head + count) % ring.count] = field
        count += 1
        size += needed
    }

    /// Applies a size update: evicts until the entries fit `newMax`.
    mutating func resize(_ newMax: Int) {
        maxSize = newMax
        evict(toFit: newMax)
    }

    private mutating func evict(toFit limit: Int) {
        while size > limit, count > 0 {
            size -= ring[head]!.tableSize
            ring[head] = nil
            head = (head + 1) % ring.count
            count -= 1
        }
    }

    private mutating func removeAll() {
        ring = []
        head = 0
        count = 0
        size = 0
    }

    private mutating func grow() {
        var bigger = [HPACKField?](repeating: nil, count: max(16, ring.count * 2))
        for i in 0..<count { bigger[i] = ring[(head + i) % ring.count] }
        ring = bigger
        head = 0
    }
}
