/// Which PostgreSQL failures a retry cannot fix, and a one-line form of any failure.
extension PostgresError {
    /// Whether retrying the same work later, on a new connection, will fail the same way until
    /// someone changes the database or the configuration: the audit schema is missing, the
    /// credentials are refused, the database or role does not exist, access is denied — and any
    /// other refused statement that is not transient (the callers' statements are constant).
    ///
    /// Connection-time failures carry no SQLSTATE in libpq, so those are recognised by the server's
    /// (English) message; an unrecognised connection failure counts as transient.
    public var isPersistent: Bool {
        switch kind {
        case .statement: return !isTransient
        case .connection: return Self.persistentConnectionMarkers.contains { message.contains($0) }
        }
    }

    /// Whether the server refused the credentials or the client's address (`28xxx`, pg_hba.conf).
    public var isAuthenticationFailure: Bool {
        if let sqlState { return sqlState.hasPrefix("28") }
        return ["authentication failed", "pg_hba.conf"].contains { message.contains($0) }
    }

    /// Whether the database (or role) named in the URL does not exist (`3D000`).
    public var isUnknownDatabase: Bool {
        if let sqlState { return sqlState == "3D000" }
        return message.contains("does not exist")
    }

    /// The failure on one line: libpq's first line without its severity prefix (`ERROR:`, `FATAL:`),
    /// whitespace runs collapsed (libpq adds `LINE 2: …` context and a caret on later lines).
    public var summary: String {
        let first = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        var words = first.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let head = words.first, ["ERROR:", "FATAL:", "PANIC:"].contains(head) { words.removeFirst() }
        return words.joined(separator: " ")
    }

    static let persistentConnectionMarkers = [
        "password authentication failed", "authentication failed", "pg_hba.conf", "does not exist",
        "password is required", "no password supplied",
    ]
}
