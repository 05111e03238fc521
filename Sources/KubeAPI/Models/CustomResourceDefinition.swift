

/// An `apiextensions.k8s.io/v1` CustomResourceDefinition; `status.conditions` has `Established` and `NamesAccepted`.
public struct CustomResourceDefinition: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                                                    kind: "CustomResourceDefinition", namespaced: false)

    public var metadata: ObjectMeta
    public var spec: CRDSpec
    public var status: CRDStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: CRDSpec, status: CRDStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Group, names, scope (Namespaced or Cluster) and versions.
public struct CRDSpec: Codable, Sendable, Hashable {
    public var group: String
    public var names: CRDNames
    public var scope: String
    public var versions: [CRDVersion]
    public var conversion: JSONValue?
    public var preserveUnknownFields: Bool?

    public init(
        group: String,
        names: CRDNames,
        scope: String,
        versions: [CRDVersion] = [],
        conversion: JSONValue? = nil,
        preserveUnknownFields: Bool? = nil
    ) {
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
        self.conversion = conversion
        self.preserveUnknownFields = preserveUnknownFields
    }
}

/// The names the resource is served under.
public struct CRDNames: Codable, Sendable, Hashable {
    public var plural: String
    public var singular: String?
    public var kind: String
    public var listKind: String?
    public var shortNames: [String]?
    public var categories: [String]?

    public init(
        plural: String,
        singular: String? = nil,
        kind: String,
        listKind: String? = nil,
        shortNames: [String]? = nil,
        categories: [String]? = nil
    ) {
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.listKind = listKind
        self.shortNames = shortNames
        self.categories = categories
    }
}

/// One served version with its schema (raw OpenAPI v3), subresources and printer columns.
public struct CRDVersion: Codable, Sendable, Hashable {
    public var name: String
    public var served: Bool
    public var storage: Bool
    public var deprecated: Bool?
    public var schema: CRDValidation?
    public var subresources: JSONValue?
    public var additionalPrinterColumns: [JSONValue]?
    public var selectableFields: [JSONValue]?

    public init(
        name: String,
        served: Bool = true,
        storage: Bool = true,
        deprecated: Bool? = nil,
        schema: CRDValidation? = nil,
        subresources: JSONValue? = nil,
        additionalPrinterColumns: [JSONValue]? = nil,
        selectableFields: [JSONValue]? = nil
    ) {
        self.name = name
        self.served = served
        self.storage = storage
        self.deprecated = deprecated
        self.schema = schema
        self.subresources = subresources
        self.additionalPrinterColumns = additionalPrinterColumns
        self.selectableFields = selectableFields
    }
}

/// The structural schema, kept as JSON.
public struct CRDValidation: Codable, Sendable, Hashable {
    public var openAPIV3Schema: JSONValue?

    public init(openAPIV3Schema: JSONValue? = nil) {
        self.openAPIV3Schema = openAPIV3Schema
    }
}

/// Conditions, accepted names and stored versions.
public struct CRDStatus: Codable, Sendable, Hashable {
    public var conditions: [CRDCondition]?
    public var acceptedNames: CRDNames?
    public var storedVersions: [String]?

    public init(
        conditions: [CRDCondition]? = nil,
        acceptedNames: CRDNames? = nil,
        storedVersions: [String]? = nil
    ) {
        self.conditions = conditions
        self.acceptedNames = acceptedNames
        self.storedVersions = storedVersions
    }
}

/// CustomResourceDefinition conditions share the common condition shape.
public typealias CRDCondition = Condition
