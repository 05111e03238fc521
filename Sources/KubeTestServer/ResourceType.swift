import KubeAPI

/// One resource the server serves at one group/version: what discovery advertises and what the
/// storage layer needs to know about it (scope, subresources, schema, printer columns).
///
/// Storage is keyed by `storageKey` (`plural.group`), so every served version of a resource shares
/// one set of objects; `apiVersion` is rewritten on the way out.
public struct ResourceType: Sendable, Hashable {
    public var descriptor: ResourceDescriptor
    public var singular: String
    public var shortNames: [String]
    public var categories: [String]
    public var verbs: [String]
    /// Subresources served under `/{name}/{subresource}` (`status`, `finalize`).
    public var subresources: [String]
    /// `true` when objects have a `spec`; otherwise every non-metadata, non-status change counts as
    /// a spec change for `metadata.generation`.
    public var hasSpec: Bool
    /// The CRD's `openAPIV3Schema` for this version (custom resources only).
    public var schema: JSONValue? {
        didSet { compiled = CompiledSchemaBox(schema) }
    }
    /// `schema` compiled once (keywords as stored fields), for validating every write.
    var compiledSchema: CompiledSchema? { compiled.schema }
    private var compiled: CompiledSchemaBox
    /// The CRD's `additionalPrinterColumns` for this version (custom resources only).
    public var printerColumns: [PrinterColumn]
    /// `metadata.name` of the defining CRD, for custom resources.
    public var crdName: String?

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool,
                singular: String? = nil, shortNames: [String] = [], categories: [String] = [],
                verbs: [String] = ResourceType.standardVerbs, subresources: [String] = [],
                hasSpec: Bool = true, schema: JSONValue? = nil, printerColumns: [PrinterColumn] = [],
                crdName: String? = nil) {
        self.descriptor = ResourceDescriptor(group: group, version: version, plural: plural, kind: kind,
                                             namespaced: namespaced)
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.hasSpec = hasSpec
        self.schema = schema
        self.compiled = CompiledSchemaBox(schema)
        self.printerColumns = printerColumns
        self.crdName = crdName
    }

    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var group: String { descriptor.group }
    public var version: String { descriptor.version }
    public var plural: String { descriptor.plural }
    public var kind: String { descriptor.kind }
    public var namespaced: Bool { descriptor.namespaced }
    public var apiVersion: String { descriptor.apiVersion }
    /// The key all versions of this resource share in storage: `plural` or `plural.group`, or the
    /// storage of another resource it is a view of (`sharesStorage`).
    public var storageKey: String { sharesStorage ?? descriptor.description }
    /// The storage key of the resource this one is another API for (events.k8s.io/v1 events are
    /// core events: `"events"`); objects are converted on the way in and out (`Presentation`).
    public var sharesStorage: String?
    /// `plural.group` as the apiserver names the resource in messages (`events.events.k8s.io`).
    public var qualifiedResource: String { descriptor.description }
    public var hasStatus: Bool { subresources.contains("status") }
    /// `Kind.group` as used in Invalid error messages (`AgentRun.codex-k8s.dev`), or `Kind` for core.
    public var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
}

/// One `additionalPrinterColumns` entry of a CRD (or a built-in default column).
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    public var priority: Int
    /// A JSONPath (`.status.phase`), evaluated with `JSONPathSubset`.
    public var jsonPath: String

    public init(name: String, type: String = "string", format: String = "", description: String = "",
                priority: Int = 0, jsonPath: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }
}

/// `ResourceType.compiledSchema`'s storage: derived from `schema`, so it takes no part in equality
/// or hashing (two types with equal schemas are equal whichever compilation they hold).
struct CompiledSchemaBox: Sendable, Hashable {
    let schema: CompiledSchema?
    init(_ source: JSONValue?) { schema = source.map { CompiledSchema($0) } }
    static func == (a: Self, b: Self) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
