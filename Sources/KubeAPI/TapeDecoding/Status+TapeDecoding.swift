// `TapeDecodable` forms of `metav1.Status` (ERROR watch events, error answers; contract: `TapeDecodable`).

extension Status: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init()
        // The synthesized `init(from:)` overwrites the defaults of `kind`/`apiVersion`/`status` (absent → nil).
        kind = try o.stringIfPresent("kind")
        apiVersion = try o.stringIfPresent("apiVersion")
        metadata = try o.decodeIfPresent("metadata", as: ListMeta.self)
        status = try o.stringIfPresent("status")
        message = try o.stringIfPresent("message")
        reason = try o.stringIfPresent("reason")
        details = try o.decodeIfPresent("details", as: StatusDetails.self)
        code = try o.intIfPresent("code")
    }
}

extension StatusDetails: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(name: try o.stringIfPresent("name"), group: try o.stringIfPresent("group"),
                  kind: try o.stringIfPresent("kind"), uid: try o.stringIfPresent("uid"),
                  causes: try o.arrayIfPresent("causes")?.map { try StatusCause(tape: $0) },
                  retryAfterSeconds: try o.intIfPresent("retryAfterSeconds"))
    }
}

extension StatusCause: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(reason: try o.stringIfPresent("reason"), message: try o.stringIfPresent("message"),
                  field: try o.stringIfPresent("field"))
    }
}
