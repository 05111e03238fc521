import KubeAPI
import KubeClient

/// YAML request bodies (`application/yaml`, `application/apply-patch+yaml`), which the apiserver
/// accepts for create, update and apply: converted to JSON with YAML 1.2 core-schema typing.
enum YAMLBody {
    /// The body as JSON; nil when it is JSON already (YAML's flow subset: let the JSON parser answer).
    static func decode(_ body: [UInt8]) throws(APIError) -> JSONValue? {
        guard let first = body.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }),
              first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        do {
            return try YAMLNode.parse(body).jsonValue()
        } catch {
            throw .badRequest("error converting YAML to JSON: \(error.description)")
        }
    }
}
