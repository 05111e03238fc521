import KubeAPI
import Testing
@testable import KubeClient

@Suite struct StatusDecodingTests {
    func decode(_ json: String, http: Int, retryAfter: String? = nil) throws -> KubeError {
        let status = try JSONValueDecoder().decode(Status.self, from: try JSONValue(parsing: json))
        return KubeError(status: status, httpCode: http, kind: "Widget", name: "req-name", retryAfterHeader: retryAfter)
    }

    @Test func mapsReasonsToCases() throws {
        #expect(try decode(#"{"kind":"Status","status":"Failure","reason":"NotFound","code":404,"message":"m","details":{"name":"n","kind":"pods"}}"#, http: 404)
                == .notFound(kind: "pods", name: "n", message: "m"))
        #expect(try decode(#"{"reason":"AlreadyExists","code":409,"message":"m"}"#, http: 409)
                == .alreadyExists(kind: "Widget", name: "req-name", message: "m"))
        #expect(try decode(#"{"reason":"Conflict","code":409,"message":"m"}"#, http: 409)
                == .conflict(kind: "Widget", name: "req-name", message: "m"))
        #expect(try decode(#"{"reason":"Expired","code":410,"message":"too old"}"#, http: 200) == .gone(message: "too old"))
        #expect(try decode(#"{"reason":"Forbidden","code":403,"message":"m"}"#, http: 403)
                == .forbidden(kind: "Widget", name: "req-name", message: "m"))
        #expect(try decode(#"{"reason":"Unauthorized","code":401,"message":"m"}"#, http: 401) == .unauthorized(message: "m"))
        #expect(try decode(#"{"reason":"InternalError","code":500,"message":"boom"}"#, http: 500)
                == .server(code: 500, reason: "InternalError", message: "boom"))
    }

    @Test func invalidCarriesCauses() throws {
        let e = try decode(#"""
            {"kind":"Status","reason":"Invalid","code":422,"message":"bad","details":{"kind":"AgentRun","name":"x",
             "causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.repository"}]}}
            """#, http: 422)
        guard case .invalid(let kind, let name, _, let causes) = e else { Issue.record("\(e)"); return }
        #expect(kind == "AgentRun" && name == "x")
        #expect(causes == [StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.repository")])
        #expect("\(e)".contains("spec.repository"))
    }

    @Test func tooManyRequestsPrefersRetryAfterHeader() throws {
        let body = #"{"reason":"TooManyRequests","code":429,"message":"slow down","details":{"retryAfterSeconds":7}}"#
        #expect(try decode(body, http: 429, retryAfter: "3") == .tooManyRequests(retryAfter: .seconds(3), message: "slow down"))
        #expect(try decode(body, http: 429) == .tooManyRequests(retryAfter: .seconds(7), message: "slow down"))
    }

    @Test func nonStatusBodyFallsBackToHTTPCode() {
        #expect(KubeError(status: nil, httpCode: 404, kind: "Pod", name: "p").isNotFound)
        #expect(KubeError(status: nil, httpCode: 503).code == 503)
    }
}
