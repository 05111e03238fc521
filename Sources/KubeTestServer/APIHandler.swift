import KubeAPI

/// Turns an `APIRequest` into an `APIResponse` against a `Store`: routing, query parameters,
/// content negotiation (JSON or Table), and the Kubernetes verbs. Transport-independent.
public struct APIHandler: Sendable {
    public let store: Store
    let options: ServerOptions
    /// `host:port` advertised in `/api`.
    let serverAddress: String
    /// Authentication, impersonation, authorization (Authentication/, Authorization/).
    let access: AccessControl

    public init(store: Store, options: ServerOptions = ServerOptions(), serverAddress: String = "127.0.0.1") {
        self.store = store
        self.options = options
        self.serverAddress = serverAddress
        self.access = AccessControl(store: store, options: options)
    }

    public func handle(_ request: APIRequest, info: RequestInfo) -> APIResponse {
        do {
            let user = try access.admit(request, info)
            if let answer = try access.intercept(request, info, user: user, handler: self) { return answer }
            if !info.isResourceRequest {
                guard Negotiation.hasHandler(request.path, store: store) else { return Negotiation.pageNotFound }
                return try Discovery(store: store, serverAddress: serverAddress).handle(request)
            }
            guard Negotiation.servesGroupVersion(info, store: store) else { return Negotiation.pageNotFound }
            try Negotiation.checkAcceptable(request.accept)
            return try handleResource(request, info)
        } catch {
            return .error(error)
        }
    }

    private func handleResource(_ request: APIRequest, _ info: RequestInfo) throws(APIError) -> APIResponse {
        guard let type = store.resourceType(group: info.group, version: info.version, plural: info.resource) else {
            throw .notFoundPath()
        }
        if let sub = info.subresource, !type.subresources.contains(sub) { throw .notFoundPath() }
        try Routes.check(info, type)
        if !type.verbs.contains(info.verb) && !(info.subresource != nil && ["get", "update", "patch"].contains(info.verb)) {
            throw Routes.notAllowed
        }
        let q = request.query
        let ns = type.namespaced ? info.namespace : nil
        if info.isResourceRequest, info.namespace != nil, !type.namespaced, info.resource != "namespaces" {
            throw .notFoundPath()
        }
        if let response = try PodSubresources(store: store).handle(request, info, type, parseBody) { return response }
        let name = info.name ?? ""
        switch info.verb {
        case "get":
            let obj = try store.get(type, namespace: ns, name: name)
            if request.wantsTable {
                return .json(200, TableRenderer.table(for: type, objects: [obj], resourceVersion: nil))
            }
            return .json(200, obj)
        case "list":
            try OptionsValidation.checkList(watch: false, q)
            let filter = try makeFilter(type, ns, q, table: request.wantsTable)
            let limit = q["limit"].flatMap { Int($0) }
            let page = try store.list(filter, limit: limit, continueToken: q["continue"],
                                      resourceVersion: q["resourceVersion"], match: q["resourceVersionMatch"])
            if request.wantsTable {
                return .json(200, TableRenderer.table(for: type, objects: page.items, resourceVersion: page.resourceVersion,
                                                      continueToken: page.continueToken))
            }
            return .json(200, bytes: listBytes(type, page))
        case "watch":
            try OptionsValidation.checkList(watch: true, q)
            let filter = try makeFilter(type, ns, q, table: request.wantsTable)
            if let rv = q["resourceVersion"], !rv.isEmpty, Int64(rv) == nil {
                throw .badRequest("resourceVersion: Invalid value: \"\(rv)\": must be a non-negative integer")
            }
            var timeout = options.defaultWatchTimeout
            if let t = q["timeoutSeconds"] {
                guard let seconds = Double(t), seconds >= 0 else { throw .badRequest("timeoutSeconds: invalid value \"\(t)\"") }
                timeout = min(seconds, 1e8)  // far beyond any test, and within the event loop's timer range
            }
            if let name = info.name {
                var fields = filter.fields
                fields.requirements.append(.init(field: "metadata.name", value: name, negated: false))
                var f = filter
                f.fields = fields
                return .watch(WatchPlan(filter: f, resourceVersion: q["resourceVersion"],
                                        sendInitialEvents: q["sendInitialEvents"] == "true",
                                        bookmarks: q["allowWatchBookmarks"] == "true", timeout: timeout))
            }
            return .watch(WatchPlan(filter: filter, resourceVersion: q["resourceVersion"],
                                    sendInitialEvents: q["sendInitialEvents"] == "true",
                                    bookmarks: q["allowWatchBookmarks"] == "true", timeout: timeout))
        case "create":
            var body = try parseObjectBody(request, type)
            let options = try writeOptions(q, request, verb: "create")
            try Self.checkNoResourceVersion(body, dryRun: q["dryRun"] == "All")
            let warnings = try checkFields(request, &body, type, "CreateOptions")
            let r = try store.create(type, namespace: ns, body: body, options: options)
            return .json(r.code, bytes: r.bytes).adding(warnings)
        case "update":
            var body = try parseObjectBody(request, type)
            let options = try writeOptions(q, request, verb: "update")
            let warnings = try checkFields(request, &body, type, "UpdateOptions")
            let r = try store.update(type, namespace: ns, name: name, body: body, subresource: info.subresource,
                                     options: options)
            return .json(r.code, bytes: r.bytes).adding(warnings)
        case "patch":
            let contentType = request.contentType.split(separator: ";").first.map { String($0).trimmingSpaces() } ?? ""
            guard let patchType = PatchType(rawValue: contentType) else { throw .unsupportedMediaType(contentType) }
            var body = try parseBody(request)
            let options = try writeOptions(q, request, verb: "patch", apply: patchType == .apply)
            if patchType == .apply { try Self.checkApplyVersion(body, type) }
            let warnings = patchType == .merge || patchType == .strategic ? try checkFields(request, &body, type, "PatchOptions") : []
            let r = try store.patch(type, namespace: ns, name: name,
                                    patch: PatchRequest(type: patchType, body: body, force: q["force"] == "true"),
                                    subresource: info.subresource, options: options)
            return .json(r.code, bytes: r.bytes).adding(warnings)
        case "delete":
            let r = try store.delete(type, namespace: ns, name: name, options: try deleteOptions(request))
            return .json(r.code, bytes: r.bytes)
        case "deletecollection":
            let filter = try makeFilter(type, ns, q, table: false)
            let deleted = try store.deleteCollection(type, namespace: ns, labels: filter.labels, fields: filter.fields,
                                                     options: try deleteOptions(request))
            let page = ListResult(items: deleted, resourceVersion: store.currentResourceVersion)
            return .json(200, bytes: listBytes(type, page))
        default:
            throw .methodNotAllowed()
        }
    }

    func makeFilter(_ type: ResourceType, _ ns: String?, _ q: [String: String], table: Bool) throws(APIError) -> WatchFilter {
        let labels = try q["labelSelector"].map { s throws(APIError) in try LabelSelector(parsing: s) } ?? .everything
        let fields = try q["fieldSelector"].map { s throws(APIError) in
            try FieldSelector(parsing: s, supported: FieldSelector.supportedFields(for: type))
        } ?? .everything
        return WatchFilter(type: type, namespace: ns, labels: labels, fields: fields, asTable: table)
    }

    func parseBody(_ request: APIRequest) throws(APIError) -> JSONValue {
        let type = request.contentType.lowercased()
        if type.hasPrefix("application/vnd.kubernetes.protobuf") { return try ProtobufBody.decode(request.body) }
        if type.hasPrefix("application/cbor") { throw .unsupportedMediaType(request.contentType) }
        if type.contains("yaml"), let yaml = try YAMLBody.decode(request.body) { return yaml }
        do {
            return try JSONValue(parsing: request.body)
        } catch {
            throw .badRequest("the body of the request could not be decoded as JSON: \(error.description)")
        }
    }

    func writeOptions(_ q: [String: String], _ request: APIRequest, verb: String, apply: Bool = false) throws(APIError) -> WriteOptions {
        var o = WriteOptions()
        try OptionsValidation.checkWrite(verb: verb, dryRun: q["dryRun"].map { [$0] } ?? [], fieldManager: q["fieldManager"],
                                         apply: apply)
        _ = try FieldValidation.mode(q, options: verb == "create" ? "CreateOptions" : verb == "patch" ? "PatchOptions" : "UpdateOptions")
        o.dryRun = q["dryRun"] == "All"
        o.userAgentManager = request.headers["user-agent"].map { String($0.split(separator: "/", maxSplits: 1).first ?? "").prefix(128) }.map(String.init)
        o.fieldManager = q["fieldManager"]
        o.strictFields = q["fieldValidation"] == "Strict"
        return o
    }

    func deleteOptions(_ request: APIRequest) throws(APIError) -> DeleteOptions {
        var o = DeleteOptions()
        let q = request.query
        o.propagationPolicy = q["propagationPolicy"]
        if q["orphanDependents"] == "true" { o.propagationPolicy = "Orphan" }
        o.orphanDependentsFalse = q["orphanDependents"] == "false"
        o.dryRun = q["dryRun"] == "All"
        var dryRun = q["dryRun"].map { [$0] } ?? []
        if !request.body.isEmpty {
            let body = try parseBody(request)
            if let p = body["propagationPolicy"]?.stringValue { o.propagationPolicy = p }
            if body["orphanDependents"]?.boolValue == true { o.propagationPolicy = "Orphan" }
            if body["orphanDependents"]?.boolValue == false { o.orphanDependentsFalse = true }
            o.preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            o.preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            if body["dryRun"]?.arrayValue?.contains("All") == true { o.dryRun = true }
            dryRun += (body["dryRun"]?.arrayValue ?? []).map { $0.stringValue ?? "" }
        }
        try OptionsValidation.checkDelete(o, dryRun: dryRun)
        return o
    }

    /// `{"kind":"XList","apiVersion":...,"metadata":{...},"items":[...]}` built from bytes.
    func listBytes(_ type: ResourceType, _ page: ListResult) -> [UInt8] {
        var meta: JSONValue = ["resourceVersion": .string(String(page.resourceVersion))]
        if let c = page.continueToken { meta["continue"] = .string(c) }
        if let r = page.remainingItemCount { meta["remainingItemCount"] = .int(r) }
        var out = Array("{\"kind\":\"\(type.kind)List\",\"apiVersion\":\"\(type.apiVersion)\",\"metadata\":".utf8)
        meta.write(into: &out)
        out += Array(",\"items\":[".utf8)
        // Items of built-in lists carry no apiVersion/kind (the typed list's items are bare structs);
        // custom resources are unstructured and keep them.
        let bare = type.crdName == nil
        for (i, item) in page.items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if bare {
                var o = item
                o["apiVersion"] = nil
                o["kind"] = nil
                o.write(into: &out)
            } else {
                item.write(into: &out)
            }
        }
        out += Array("]}".utf8)
        return out
    }
}
