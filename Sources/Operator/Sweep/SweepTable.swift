import Foundation
import KubeAPI

/// How `codex-k8s sweep` prints a report (SPEC §6): a table of namespace, reason, age, lease and
/// action (`-o wide` adds the result, when a waiting orphan becomes due, and the detail — the lease
/// end cause or what holds a Terminating namespace), or `-o json`. Pure, so tests compare it whole.
public enum SweepTable {
    public enum Format: String, Sendable, CaseIterable {
        case table, wide, json
    }

    public static func render(_ report: SweepReport, format: Format) -> String {
        switch format {
        case .json: return json(report)
        case .table, .wide: return table(report, wide: format == .wide)
        }
    }

    static func table(_ report: SweepReport, wide: Bool) -> String {
        var rows: [[String]] = [wide ? ["NAMESPACE", "REASON", "AGE", "LEASE", "ACTION", "RESULT", "DUE", "DETAIL"]
                                     : ["NAMESPACE", "REASON", "AGE", "LEASE", "ACTION"]]
        for o in report.outcomes {
            let i = o.item
            var row = [i.kind == .agentRun ? "agentrun/\(i.name)" : i.name, i.reason.rawValue,
                       i.ageSeconds.map(age) ?? "<none>", i.lease?.rfc3339 ?? "<none>", action(i)]
            if wide { row += [result(o.result), i.due?.rfc3339 ?? "", i.detail] }
            rows.append(row)
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                line += c == row.count - 1 ? cell : cell.padding(toLength: widths[c] + 3, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        if report.outcomes.isEmpty { out = "nothing to sweep\n" }
        if report.dryRun { out += "(dry run: nothing was written)\n" }
        return out
    }

    /// `delete`, `expire`, `report`, or `skip:<reason>`.
    static func action(_ item: SweepItem) -> String {
        item.action == .skip ? "skip:\(item.skip?.rawValue ?? "")" : item.action.rawValue
    }

    static func result(_ r: SweepOutcome.Result) -> String {
        switch r {
        case .planned: "planned"
        case .done: "done"
        case .unchanged(let why): "unchanged: \(why)"
        case .failed(let why): "failed: \(why)"
        }
    }

    /// kubectl's short ages: 42s, 9m, 5h, 3d.
    static func age(_ seconds: Int64) -> String {
        if seconds < 0 { return "<future>" }
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 120 * 60 { return "\(seconds / 60)m" }
        if seconds < 48 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    static func json(_ report: SweepReport) -> String {
        let items: [JSONValue] = report.outcomes.map { o in
            let i = o.item
            var obj: [String: JSONValue] = [
                "kind": .string(i.kind.rawValue), "name": .string(i.name), "reason": .string(i.reason.rawValue),
                "action": .string(i.action.rawValue), "result": .string(result(o.result)), "detail": .string(i.detail),
            ]
            if let s = i.skip { obj["skip"] = .string(s.rawValue) }
            if let a = i.ageSeconds { obj["ageSeconds"] = .int(a) }
            if let l = i.lease { obj["lease"] = .string(l.rfc3339) }
            if let d = i.due { obj["due"] = .string(d.rfc3339) }
            return .object(obj)
        }
        let doc: JSONValue = .object(["dryRun": .bool(report.dryRun), "succeeded": .bool(report.succeeded), "items": .array(items)])
        return String(decoding: doc.serialized(sortedKeys: true), as: UTF8.self) + "\n"
    }
}
