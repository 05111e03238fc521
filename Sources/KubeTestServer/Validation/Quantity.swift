/// A Kubernetes `resource.Quantity`: parsed exactly (in units of 10⁻⁹, as `Int128`) and printed in
/// the apiserver's canonical form (`500m`, `2k`, `1536Mi`), which is what quota and limit-range
/// messages and `status.used` show.
struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    enum Format: Sendable, Hashable { case decimalSI, binarySI, decimalExponent }

    /// The value × 10⁹.
    var nanos: Int128
    var format: Format

    static let zero = Quantity(nanos: 0, format: .decimalSI)
    private static let nano: Int128 = 1_000_000_000

    init(nanos: Int128, format: Format) {
        self.nanos = nanos
        self.format = format
    }

    init(integer: Int64, format: Format = .decimalSI) {
        self.init(nanos: Int128(integer) * Self.nano, format: format)
    }

    /// Parses `[+-]digits[.digits][suffix]`; nil when the text is not a quantity.
    init?(parsing text: String) {
        let s = Array(text.utf8)
        guard !s.isEmpty, s.count < 100 else { return nil }
        var i = 0
        var negative = false
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { negative = s[i] == UInt8(ascii: "-"); i += 1 }
        var digits: [UInt8] = []
        var fraction: [UInt8] = []
        while i < s.count, s[i] >= 48, s[i] <= 57 { digits.append(s[i] - 48); i += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, s[i] >= 48, s[i] <= 57 { fraction.append(s[i] - 48); i += 1 }
        }
        guard !(digits.isEmpty && fraction.isEmpty) else { return nil }
        let suffix = String(decoding: s[i...], as: UTF8.self)
        var base: Int128 = 10
        var exponent = 0
        switch suffix {
        case "": format = .decimalSI
        case "n": exponent = -9; format = .decimalSI
        case "u": exponent = -6; format = .decimalSI
        case "m": exponent = -3; format = .decimalSI
        case "k": exponent = 3; format = .decimalSI
        case "M": exponent = 6; format = .decimalSI
        case "G": exponent = 9; format = .decimalSI
        case "T": exponent = 12; format = .decimalSI
        case "P": exponent = 15; format = .decimalSI
        case "E": exponent = 18; format = .decimalSI
        case "Ki": base = 1024; exponent = 1; format = .binarySI
        case "Mi": base = 1024; exponent = 2; format = .binarySI
        case "Gi": base = 1024; exponent = 3; format = .binarySI
        case "Ti": base = 1024; exponent = 4; format = .binarySI
        case "Pi": base = 1024; exponent = 5; format = .binarySI
        case "Ei": base = 1024; exponent = 6; format = .binarySI
        default:
            guard let first = suffix.first, first == "e" || first == "E", let e = Int(suffix.dropFirst()),
                  abs(e) <= 20 else { return nil }
            exponent = e
            format = .decimalExponent
        }
        // value = 0.digits.fraction × base^exponent, kept exact in nanos (rounded up past 10⁻⁹, like the apiserver)
        var mantissa: Int128 = 0
        for d in digits + fraction {
            guard mantissa < Int128(1) << 100 else { return nil }
            mantissa = mantissa * 10 + Int128(d)
        }
        var scaleNum: Int128 = Self.nano
        var scaleDen: Int128 = 1
        for _ in 0..<fraction.count { scaleDen *= 10 }
        if exponent >= 0 {
            for _ in 0..<exponent { scaleNum *= base }
        } else {
            for _ in 0..<(-exponent) { scaleDen *= base }
        }
        let (q, r) = (mantissa * scaleNum).quotientAndRemainder(dividingBy: scaleDen)
        nanos = r > 0 ? q + 1 : q
        if negative { nanos = -nanos }
    }

    static func < (a: Quantity, b: Quantity) -> Bool { a.nanos < b.nanos }
    static func == (a: Quantity, b: Quantity) -> Bool { a.nanos == b.nanos }
    func hash(into h: inout Hasher) { h.combine(nanos) }

    static func + (a: Quantity, b: Quantity) -> Quantity {
        Quantity(nanos: a.nanos + b.nanos, format: a.nanos == 0 ? b.format : a.format)
    }

    static func - (a: Quantity, b: Quantity) -> Quantity { Quantity(nanos: a.nanos - b.nanos, format: a.format) }

    var isZero: Bool { nanos == 0 }

    /// The value in thousandths, rounded up (`MilliValue()`).
    var milliValue: Int128 {
        let (q, r) = nanos.quotientAndRemainder(dividingBy: 1_000_000)
        return r > 0 ? q + 1 : q
    }

    /// The canonical text, as `Quantity.String()` prints it.
    var description: String {
        if nanos == 0 { return "0" }
        var fmt = format
        if fmt == .binarySI {
            let whole = nanos % Self.nano == 0
            if !whole || (nanos > -1024 * Self.nano && nanos < 1024 * Self.nano) { fmt = .decimalSI }
        }
        let sign = nanos < 0 ? "-" : ""
        var magnitude = nanos < 0 ? -nanos : nanos
        if fmt == .binarySI {
            var units = magnitude / Self.nano
            var index = 0
            while index < 6, units % 1024 == 0 { units /= 1024; index += 1 }
            return sign + String(units) + ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][index]
        }
        // decimal: mantissa × 10^exp with exp a multiple of 3 (≥ -9), mantissa an integer, exp as large as possible
        var exp = -9
        while magnitude % 1000 == 0, exp < 18 { magnitude /= 1000; exp += 3 }
        if fmt == .decimalExponent {
            return sign + String(magnitude) + (exp == 0 ? "" : "e\(exp)")
        }
        let suffixes = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
        return sign + String(magnitude) + (suffixes[exp] ?? "")
    }
}
