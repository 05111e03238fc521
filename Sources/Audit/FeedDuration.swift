/// Parses the `--since` durations of `codex-k8s events`: a sequence of `<number><unit>` with units
/// `s`, `m`, `h`, `d` (`90s`, `15m`, `1h30m`, `2d`). Returns seconds, or `nil` when malformed or zero.
public enum FeedDuration {
    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var digits = ""
        var sawUnit = false
        for character in text.lowercased() {
            if character.isASCII, character.isNumber || character == "." {
                digits.append(character)
                continue
            }
            guard let value = Double(digits) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit, total > 0 else { return nil }
        return total
    }
}
