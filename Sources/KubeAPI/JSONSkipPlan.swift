/// Which members of a JSON document a reader never looks at, so that `JSONTape(parsing:skipping:)`
/// validates them without recording their tokens (a Kubernetes object's `metadata.managedFields`,
/// the `spec` of a spec-less Job or Pod: most of a watch event's bytes).
///
/// Contract: a plan describes objects by member name, level by level from the value it is applied
/// to. At a level, a member named in `skip` is skipped; a member named in `below` is scanned with
/// that plan; every other member is scanned in full. Only names without escapes match (a name
/// written with a backslash escape is always scanned in full), and every member of that name at
/// that level is affected (duplicates included). A plan applied to a value that is not an object
/// does nothing. Skipping never changes whether a document parses or the error it fails with (see
/// `JSONTapeScanner.skipValue`), and the tokens of everything not skipped are the same as without
/// a plan, so a plan is correct exactly when no reader of the document reads a skipped member:
/// each `TapeDecodable.skipPlan` is held to that by differential tests.
package struct JSONSkipPlan: Sendable {
    /// Names of the members skipped at this level.
    package var skip: [[UInt8]]
    /// Members scanned with a plan of their own.
    package var below: [(name: [UInt8], plan: JSONSkipPlan)]

    package init(skip: [String] = [], below: [(name: String, plan: JSONSkipPlan)] = []) {
        self.skip = skip.map { Array($0.utf8) }
        self.below = below.map { (Array($0.name.utf8), $0.plan) }
    }

    /// The plan a member named by `bytes[start..<end]` gets: `.skip`, a plan of its own, or none.
    @inline(__always)
    func member(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Member {
        for name in skip where Self.equals(name, bytes, start, end) { return .skip }
        for entry in below where Self.equals(entry.name, bytes, start, end) { return .plan(entry.plan) }
        return .scan
    }

    enum Member {
        case skip, scan
        case plan(JSONSkipPlan)
    }

    @inline(__always)
    static func equals(_ name: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard name.count == end - start else { return false }
        for k in 0..<name.count where name[k] != bytes[start + k] { return false }
        return true
    }

    /// A Kubernetes object whose `metadata` is read as `ObjectMeta` (which never reads
    /// `managedFields`), plus `skipping` members of the object itself (e.g. `spec`).
    package static func kubeObject(skipping: [String] = []) -> JSONSkipPlan {
        JSONSkipPlan(skip: skipping, below: [("metadata", JSONSkipPlan(skip: ["managedFields"]))])
    }
}
