/// Which HTTP methods a resource path accepts, as the routes kube-apiserver installs for a
/// resource (`k8s.io/apiserver/pkg/endpoints/installer.go`): a method the path has no route for is
/// answered `405 MethodNotAllowed` by the route dispatcher, before any handler runs.
///
/// - collection `…/namespaces/{ns}/{resource}` (or `/{resource}` when cluster-scoped): GET (list,
///   watch), POST (create), DELETE (deletecollection, when the resource supports it);
/// - every-namespace collection `/{resource}` of a namespaced resource: GET only;
/// - object `…/{resource}/{name}`: GET, PUT, PATCH, DELETE — never POST;
/// - subresource `…/{name}/{sub}`: what the subresource serves.
enum Routes {
    static func check(_ info: RequestInfo, _ type: ResourceType) throws(APIError) {
        let named = info.name != nil
        switch info.verb {
        case "update", "patch":
            guard named else { throw notAllowed }
        case "create":
            // POST to a named path (no subresource) has no route; POSTs to subresources
            // (token, eviction) are each the business of their subresource.
            guard !named || info.subresource != nil else { throw notAllowed }
        case "deletecollection":
            guard type.verbs.contains("deletecollection") else { throw notAllowed }
        case "get", "list", "watch", "delete":
            break
        default:
            throw notAllowed
        }
        // A namespaced resource across all namespaces is read-only (list and watch).
        if type.namespaced, info.namespace == nil, !named, info.verb != "list", info.verb != "watch" {
            throw notAllowed
        }
    }

    /// The dispatcher's 405, with an empty `details` like `NewGenericServerResponse` makes it.
    static var notAllowed: APIError {
        APIError(code: 405, reason: "MethodNotAllowed",
                 message: "the server does not allow this method on the requested resource", details: [:])
    }
}
