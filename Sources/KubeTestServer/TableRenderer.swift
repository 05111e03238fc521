import Foundation
import KubeAPI

/// Renders objects as a `meta.k8s.io/v1` Table for `kubectl get` (server-side printing).
///
/// Custom resources use their CRD's `additionalPrinterColumns` (Name first, then the CRD's columns;
/// just Name and Age when the CRD declares none), with the apiextensions-apiserver's cell typing
/// (`date` → a human age like `5m`). Built-ins get the main columns of the real printers.
enum TableRenderer {
    static func columns(for type: ResourceType) -> [PrinterColumn] {
        let name = PrinterColumn(name: "Name", format: "name", description: "Name must be unique within a namespace.",
                                 jsonPath: ".metadata.name")
        if type.crdName != nil {
            let age = PrinterColumn(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp")
            return [name] + (type.printerColumns.isEmpty ? [age] : type.printerColumns)
        }
        let age = PrinterColumn(name: "Age", jsonPath: "@age")
        if let builtin = BuiltinColumns.columns(for: type, name: name, age: age) { return builtin }
        switch type.storageKey {
        case "namespaces":
            return [name, PrinterColumn(name: "Status", jsonPath: ".status.phase"), age]
        case "pods":
            return [name, PrinterColumn(name: "Ready", jsonPath: "@ready"), PrinterColumn(name: "Status", jsonPath: "@podStatus"),
                    PrinterColumn(name: "Restarts", type: "string", jsonPath: "@restarts"), age]
        case "jobs.batch":
            return [name, PrinterColumn(name: "Status", jsonPath: "@jobStatus"),
                    PrinterColumn(name: "Completions", jsonPath: "@completions"), age]
        case "configmaps":
            return [name, PrinterColumn(name: "Data", jsonPath: "@dataCount"), age]
        case "secrets":
            return [name, PrinterColumn(name: "Type", jsonPath: ".type"),
                    PrinterColumn(name: "Data", jsonPath: "@dataCount"), age]
        case "customresourcedefinitions.apiextensions.k8s.io":
            return [name, PrinterColumn(name: "Created At", type: "date", jsonPath: "@createdAt")]
        case "leases.coordination.k8s.io":
            return [name, PrinterColumn(name: "Holder", jsonPath: ".spec.holderIdentity"), age]
        case "events":
            return [PrinterColumn(name: "Last Seen", type: "date", jsonPath: ".lastTimestamp"),
                    PrinterColumn(name: "Type", jsonPath: ".type"), PrinterColumn(name: "Reason", jsonPath: ".reason"),
                    PrinterColumn(name: "Object", jsonPath: "@involvedObject"), PrinterColumn(name: "Message", jsonPath: ".message")]
        default:
            return WorkloadColumns.columns(for: type, name: name, age: age) ?? [name, age]
        }
    }

    static func table(for type: ResourceType, objects: [JSONValue], resourceVersion: Int64?,
                      continueToken: String? = nil, now: Double = Date().timeIntervalSince1970) -> JSONValue {
        let cols = columns(for: type)
        let defs: [JSONValue] = cols.map {
            ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
             "description": .string($0.description), "priority": .int(Int64($0.priority))]
        }
        let rows: [JSONValue] = objects.map { obj in
            var metadata = obj["metadata"] ?? [:]
            metadata["managedFields"] = nil
            return ["cells": .array(cols.map { cell($0, obj, now: now) }),
                    "object": ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata]]
        }
        var meta: JSONValue = [:]
        if let rv = resourceVersion { meta["resourceVersion"] = .string(String(rv)) }
        if let c = continueToken { meta["continue"] = .string(c) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
                "columnDefinitions": .array(defs), "rows": .array(rows)]
    }

    static func cell(_ column: PrinterColumn, _ obj: JSONValue, now: Double) -> JSONValue {
        if column.jsonPath.hasPrefix("@") { return BuiltinColumns.cell(column.jsonPath, obj, now: now) ?? computed(column.jsonPath, obj) }
        guard let value = JSONPathSubset(column.jsonPath).evaluate(obj).first, value != .null else { return .null }
        switch column.type {
        case "date":
            guard let s = value.stringValue, let t = KubeTime(rfc3339: s) else { return "<invalid>" }
            return .string(humanDuration(now - t.secondsSince1970))
        case "integer": return value.intValue.map(JSONValue.int) ?? .null
        case "number":
            if case .int(let i) = value { return .double(Double(i)) }
            if case .double = value { return value }
            return .null
        case "boolean": return value.boolValue.map(JSONValue.bool) ?? .null
        default: return JSONPathSubset.text(value).map(JSONValue.string) ?? .null
        }
    }

    /// Cells of built-in printers that are not a plain path.
    static func computed(_ name: String, _ obj: JSONValue) -> JSONValue {
        let statuses = obj[path: ["status", "containerStatuses"]]?.arrayValue ?? []
        switch name {
        case "@ready":
            let total = obj[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
            return .string("\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)")
        case "@podStatus":
            if obj[path: ["metadata", "deletionTimestamp"]] != nil { return "Terminating" }
            for s in statuses {
                if let r = s[path: ["state", "waiting", "reason"]]?.stringValue { return .string(r) }
                if let r = s[path: ["state", "terminated", "reason"]]?.stringValue { return .string(r) }
            }
            return obj[path: ["status", "phase"]] ?? "Unknown"
        case "@restarts":
            return .string(String(statuses.reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }))
        case "@jobStatus":
            for c in obj[path: ["status", "conditions"]]?.arrayValue ?? [] where c["status"]?.stringValue == "True" {
                if c["type"]?.stringValue == "Complete" { return "Complete" }
                if c["type"]?.stringValue == "Failed" { return "Failed" }
            }
            if obj[path: ["spec", "suspend"]]?.boolValue == true { return "Suspended" }
            return obj[path: ["metadata", "deletionTimestamp"]] != nil ? "Terminating" : "Running"
        case "@completions":
            let done = obj[path: ["status", "succeeded"]]?.intValue ?? 0
            return .string("\(done)/\(obj[path: ["spec", "completions"]]?.intValue ?? 1)")
        case "@createdAt":
            return obj[path: ["metadata", "creationTimestamp"]] ?? .null
        case "@dataCount":
            return .int(Int64((obj["data"]?.objectValue?.count ?? 0) + (obj["binaryData"]?.objectValue?.count ?? 0)))
        case "@involvedObject":
            let kind = obj[path: ["involvedObject", "kind"]]?.stringValue?.lowercased() ?? ""
            return .string("\(kind)/\(obj[path: ["involvedObject", "name"]]?.stringValue ?? "")")
        default:
            return WorkloadColumns.computed(name, obj) ?? .null
        }
    }

    /// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`.
    static func humanDuration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < -1 { return "<invalid>" }
        if s < 0 { return "0s" }
        if s < 120 { return "\(s)s" }
        let minutes = s / 60
        if minutes < 10 { return s % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(s % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = s / 3600
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
