import Runs
import TestSupport
import Testing

/// Malformed configuration of any kind gets errors with positions, never a crash (SPEC §7).
@Suite struct ConfigFuzzTests {
    @Test func mutatedExamplesNeverCrashAndErrorsHavePositions() {
        let base = Array(OperatorConfig.defaults.render(comments: true).unicodeScalars)
        let noise: [Unicode.Scalar] = [":", "-", " ", "\n", "\t", "[", "]", "{", "}", "\"", "'", "#", "&", "*", "!", "|", ">", "0", "x", "é"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<400 {
            var text = base
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<text.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: text.remove(at: i)
                case 1: text.insert(noise.randomElement(using: &rng)!, at: i)
                default: text[i] = noise.randomElement(using: &rng)!
                }
            }
            var s = ""
            s.unicodeScalars.append(contentsOf: text)
            if case .failure(let e) = OperatorConfig.load(s, file: "f.yaml") {
                #expect(!e.errors.isEmpty)
                #expect(e.errors.allSatisfy { $0.line >= 1 && $0.column >= 1 && $0.file == "f.yaml" })
            }
        }
    }
}
