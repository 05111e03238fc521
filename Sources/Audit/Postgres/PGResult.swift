import CPostgres

/// One `PGresult`, owned: cleared when this value is released. Text format only.
final class PGResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }
    var columnCount: Int { Int(PQnfields(handle)) }

    /// The value at `row`, `column` as text; `nil` for SQL NULL.
    func value(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// The number of rows a command affected (`INSERT 0 5` → 5).
    var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    var status: ExecStatusType { PQresultStatus(handle) }

    var sqlState: String? {
        guard let field = PQresultErrorField(handle, Int32(UInt8(ascii: "C"))) else { return nil }
        return String(cString: field)
    }

    var errorMessage: String {
        String(cString: PQresultErrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
