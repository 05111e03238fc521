// `TapeDecodable` forms of the object and list metadata (contract: `TapeDecodable`).

extension ObjectMeta: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init()
        name = try o.stringIfPresent("name")
        generateName = try o.stringIfPresent("generateName")
        namespace = try o.stringIfPresent("namespace")
        uid = try o.stringIfPresent("uid")
        resourceVersion = try o.stringIfPresent("resourceVersion")
        generation = try o.int64IfPresent("generation")
        creationTimestamp = try o.timeIfPresent("creationTimestamp")
        deletionTimestamp = try o.timeIfPresent("deletionTimestamp")
        deletionGracePeriodSeconds = try o.int64IfPresent("deletionGracePeriodSeconds")
        labels = try o.stringMapIfPresent("labels")
        annotations = try o.stringMapIfPresent("annotations")
        ownerReferences = try o.arrayIfPresent("ownerReferences")?.map { try OwnerReference(tape: $0) }
        finalizers = try o.stringArrayIfPresent("finalizers")
    }
}

extension OwnerReference: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(apiVersion: try o.string("apiVersion"), kind: try o.string("kind"), name: try o.string("name"),
                  uid: try o.string("uid"), controller: try o.boolIfPresent("controller"),
                  blockOwnerDeletion: try o.boolIfPresent("blockOwnerDeletion"))
    }
}

extension ListMeta: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(resourceVersion: try o.stringIfPresent("resourceVersion"), continue: try o.stringIfPresent("continue"),
                  remainingItemCount: try o.int64IfPresent("remainingItemCount"))
    }
}

extension KubeList: TapeDecodable where Item: TapeDecodable {
    /// As `init(from:)`: absent or `null` `metadata` → `ListMeta()`, absent or `null` `items` → `[]`.
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        let apiVersion = try o.stringIfPresent("apiVersion")
        let kind = try o.stringIfPresent("kind")
        let metadata = try o.decodeIfPresent("metadata", as: ListMeta.self) ?? ListMeta()
        let items = try o.arrayIfPresent("items")?.map { try Item(tape: $0) } ?? []
        self.init(apiVersion: apiVersion, kind: kind, metadata: metadata, items: items)
    }
}

extension KubeTime: TapeDecodable {
    package init(tape: TapeValue) throws { self = try tape.time() }
}

extension MicroTime: TapeDecodable {
    package init(tape: TapeValue) throws { self.init(try tape.time()) }
}
