@testable import KubeTestServer
import Testing

/// `Quantity` parses like resource.Quantity and prints its canonical form.
struct QuantityTests {
    @Test(arguments: [
        ("500m", "500m"), ("0.5", "500m"), ("1000m", "1"), ("2000", "2k"), ("1500", "1500"), ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"), ("100Ki", "100Ki"), ("1e3", "1e3"), ("0", "0"),
        ("512", "512"), ("1M", "1M"), ("-1", "-1"), ("10n", "10n"),
    ])
    func canonicalForm(_ input: String, _ expected: String) {
        #expect(Quantity(parsing: input)?.description == expected)
    }

    @Test(arguments: ["", "abc", "1x", "1.2.3", "--1", "Mi"])
    func rejectsNonQuantities(_ input: String) {
        #expect(Quantity(parsing: input) == nil)
    }

    @Test func arithmeticAndComparison() {
        let a = Quantity(parsing: "500m")!, b = Quantity(parsing: "1")!
        #expect(a < b)
        #expect((a + a) == b)
        #expect((a + a).description == "1")
        #expect(Quantity(parsing: "1Gi")! > Quantity(parsing: "1G")!)
    }
}
