/// Validation of AgentRuns and RunNamespaces with apiserver-style field paths: the same rules the
/// CRDs enforce (schema and CEL), for objects built in code (webhook adapter, operator) before
/// they are sent, plus rules only the operator can check (durations > 0).
///
/// Contract: returns every problem found, in field order; an empty result means the CRD accepts it.
/// Lengths count Unicode code points, as OpenAPI `maxLength` does.
public enum RunValidation {
    public static let maxLabels = 100
    public static let maxLabelLength = 100
    public static let maxRepositoryLength = 140

    /// `owner/name` as GitHub spells repositories (the CRD pattern `^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`).
    public static func isRepository(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, s.unicodeScalars.count >= 3, s.unicodeScalars.count <= maxRepositoryLength,
              let first = parts[0].unicodeScalars.first, isASCIIAlnum(first),
              parts[0].unicodeScalars.allSatisfy({ isASCIIAlnum($0) || $0 == "-" }),
              !parts[1].isEmpty,
              parts[1].unicodeScalars.allSatisfy({ isASCIIAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }) else { return false }
        return true
    }

    static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// A C-style environment variable name.
    public static func isEnvName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 128, first == "_" || (isASCIIAlnum(first) && !("0"..."9").contains(first)) else {
            return false
        }
        return s.unicodeScalars.allSatisfy { isASCIIAlnum($0) || $0 == "_" }
    }

    public static func validate(_ run: AgentRun) -> [FieldError] {
        var errors: [FieldError] = []
        if let name = run.metadata.name, name.unicodeScalars.count > RunNames.maxLength {
            errors.append(FieldError("metadata.name", .invalid, "must be no more than 63 characters (the name labels the run's Job and namespace)"))
        }
        errors += validate(run.spec)
        return errors
    }

    public static func validate(_ spec: AgentRunSpec, path: String = "spec") -> [FieldError] {
        var errors: [FieldError] = []
        if !isRepository(spec.repository) {
            errors.append(FieldError("\(path).repository", .invalid, "must be owner/name (at most 140 characters), got \"\(spec.repository)\""))
        }
        if spec.issue < 1 { errors.append(FieldError("\(path).issue", .invalid, "must be greater than or equal to 1")) }
        if let pr = spec.pullRequest, pr < 1 { errors.append(FieldError("\(path).pullRequest", .invalid, "must be greater than or equal to 1")) }
        if spec.isRevise && !spec.stage.allowsRevise {
            errors.append(FieldError("\(path).revise", .forbidden, "revise is not allowed with stage rethink or ai-repair"))
        }
        if let model = spec.model, !ProfileValue.isWellFormed(model) {
            errors.append(FieldError("\(path).model", .invalid, "must be lower-case letters, digits, '.', '_' or '-' (at most 64), got \"\(model)\""))
        }
        let labels = spec.labels ?? []
        if labels.count > maxLabels { errors.append(FieldError("\(path).labels", .tooMany, "must have at most \(maxLabels) items")) }
        for (i, label) in labels.enumerated() where label.name.isEmpty || label.name.unicodeScalars.count > maxLabelLength {
            errors.append(FieldError("\(path).labels[\(i)].name", .invalid, "must be 1 to \(maxLabelLength) characters"))
        }
        if let timeout = spec.timeout, timeout.seconds <= 0 {
            errors.append(FieldError("\(path).timeout", .invalid, "must be greater than zero"))
        }
        if let agent = spec.agent { errors += validate(agent, path: "\(path).agent") }
        if let trigger = spec.trigger {
            for (name, value, limit) in [("deliveryID", trigger.deliveryID, 128), ("event", trigger.event, 64),
                                         ("action", trigger.action, 64), ("label", trigger.label, 100), ("sender", trigger.sender, 64)] {
                if let value, value.unicodeScalars.count > limit {
                    errors.append(FieldError("\(path).trigger.\(name)", .tooLong, "must be no more than \(limit) characters"))
                }
            }
        }
        return errors
    }

    static func validate(_ agent: AgentOverrides, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let image = agent.image, image.isEmpty || image.unicodeScalars.count > 512 {
            errors.append(FieldError("\(path).image", .invalid, "must be 1 to 512 characters"))
        }
        for (field, list, maxItems) in [("command", agent.command, 64), ("args", agent.args, 256)] {
            guard let list else { continue }
            if list.count > maxItems { errors.append(FieldError("\(path).\(field)", .tooMany, "must have at most \(maxItems) items")) }
            for (i, item) in list.enumerated() where item.unicodeScalars.count > 4096 {
                errors.append(FieldError("\(path).\(field)[\(i)]", .tooLong, "must be no more than 4096 characters"))
            }
        }
        if (agent.env ?? []).count > 64 { errors.append(FieldError("\(path).env", .tooMany, "must have at most 64 items")) }
        var seen: Set<String> = []
        for (i, v) in (agent.env ?? []).enumerated() {
            if !isEnvName(v.name) {
                errors.append(FieldError("\(path).env[\(i)].name", .invalid, "must be a C identifier ([A-Za-z_][A-Za-z0-9_]*), got \"\(v.name)\""))
            } else if v.name.hasPrefix("CODEX_") {
                errors.append(FieldError("\(path).env[\(i)].name", .invalid, "CODEX_ variables are set by the operator"))
            }
            if v.value.unicodeScalars.count > 32768 {
                errors.append(FieldError("\(path).env[\(i)].value", .tooLong, "must be no more than 32768 characters"))
            }
            if !seen.insert(v.name).inserted {
                errors.append(FieldError("\(path).env[\(i)]", .duplicate, "duplicate name \"\(v.name)\""))
            }
        }
        for (kind, values) in [("requests", agent.resources?.requests), ("limits", agent.resources?.limits)] {
            if (values ?? [:]).count > 16 {
                errors.append(FieldError("\(path).resources.\(kind)", .tooMany, "must have at most 16 entries"))
            }
            for (key, value) in (values ?? [:]).sorted(by: { $0.key < $1.key }) where !Quantity.isValid(value) {
                errors.append(FieldError("\(path).resources.\(kind).\(key)", .invalid, "not a quantity: \"\(value)\""))
            }
        }
        return errors
    }

    /// The transition rules of the CRD: `repository`, `issue`, `stage`, `revise` are immutable;
    /// `cancel` cannot be unset once set. Plus everything `validate` checks on the new object.
    public static func validateUpdate(old: AgentRun, new: AgentRun) -> [FieldError] {
        var errors = validate(new)
        if old.spec.repository != new.spec.repository { errors.append(FieldError("spec.repository", .invalid, "repository is immutable")) }
        if old.spec.issue != new.spec.issue { errors.append(FieldError("spec.issue", .invalid, "issue is immutable")) }
        if old.spec.stage != new.spec.stage { errors.append(FieldError("spec.stage", .invalid, "stage is immutable")) }
        if old.spec.isRevise != new.spec.isRevise { errors.append(FieldError("spec.revise", .invalid, "revise is immutable")) }
        if old.spec.isCancelRequested && !new.spec.isCancelRequested {
            errors.append(FieldError("spec.cancel", .forbidden, "cancel cannot be unset once set"))
        }
        return errors
    }

    public static func validate(_ rns: RunNamespace) -> [FieldError] {
        var errors: [FieldError] = []
        if let name = rns.metadata.name, !RunNames.isDNSLabel(name) {
            errors.append(FieldError("metadata.name", .invalid, "must be a DNS-1123 label (at most 63 characters, no dots): it names a Namespace"))
        }
        let s = rns.spec
        if !isRepository(s.repository) { errors.append(FieldError("spec.repository", .invalid, "must be owner/name, got \"\(s.repository)\"")) }
        if s.issue < 1 { errors.append(FieldError("spec.issue", .invalid, "must be greater than or equal to 1")) }
        if s.role != s.stage.role {
            errors.append(FieldError("spec.role", .invalid, "role must be the role of the stage (\(s.stage.rawValue): \(s.stage.role.rawValue))"))
        }
        if s.ttl.seconds <= 0 { errors.append(FieldError("spec.ttl", .invalid, "must be greater than zero")) }
        return errors
    }
}
