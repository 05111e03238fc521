import FoundationEssentials

/// A `v1` Secret. `data` values are base64 as on the wire; `stringData` is write-only plain text.
public struct Secret: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "secrets",
                                                    kind: "Secret", namespaced: true)

    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: String]?
    public var stringData: [String: String]?
    public var immutable: Bool?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        type: String? = nil,
        data: [String: String]? = nil,
        stringData: [String: String]? = nil,
        immutable: Bool? = nil
    ) {
        self.metadata = metadata
        self.type = type
        self.data = data
        self.stringData = stringData
        self.immutable = immutable
    }

    /// The decoded bytes of `data[key]`; `nil` when absent or not base64.
    public func decodedData(_ key: String) -> [UInt8]? {
        data?[key].flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }

    /// Sets `data[key]` to the base64 of `bytes`.
    public mutating func setData(_ key: String, _ bytes: [UInt8]) {
        if data == nil { data = [:] }
        data?[key] = Data(bytes).base64EncodedString()
    }
}
