@testable import Runs
import Testing

/// The `github` section of the operator configuration: defaults, a changed value read back, and
/// each validation error with its position.
@Suite struct GitHubConfigTests {
    @Test func defaultsAreGitHubDotComWithReportingOff() {
        let g = OperatorConfig.defaults.github
        #expect(g.apiURL == "https://api.github.com")
        #expect(g.tokenFile == "")
        #expect(g.resync == .minutes(10))
    }

    @Test func enterpriseSettingsAreReadAndRenderedBack() throws {
        let text = "github:\n  apiURL: https://ghe.example.com/api/v3\n  tokenFile: /var/run/secrets/github/token\n  resync: 90s\n"
        let c = try OperatorConfig.load(text, file: "c.yaml").get()
        #expect(c.github.apiURL == "https://ghe.example.com/api/v3")
        #expect(c.github.tokenFile == "/var/run/secrets/github/token")
        #expect(c.github.resync == .seconds(90))
        #expect(try OperatorConfig.load(c.render(comments: true), file: "r.yaml").get() == c)
    }

    static let errorRows: [(String, String)] = [
        ("github:\n  apiURL: api.github.com\n", "c.yaml:2:11: github.apiURL: must be an http(s) URL without credentials, query or fragment (e.g. https://github.example.com/api/v3), got \"api.github.com\""),
        ("github:\n  apiURL: \"https://user:pw@ghe.example.com\"\n", "c.yaml:2:11: github.apiURL: must be an http(s) URL without credentials, query or fragment (e.g. https://github.example.com/api/v3), got \"https://user:pw@ghe.example.com\""),
        ("github:\n  apiURL: \"https://ghe.example.com/api/v3?x=1\"\n", "c.yaml:2:11: github.apiURL: must be an http(s) URL without credentials, query or fragment (e.g. https://github.example.com/api/v3), got \"https://ghe.example.com/api/v3?x=1\""),
        ("github:\n  tokenFile: token.txt\n", "c.yaml:2:14: github.tokenFile: must be an absolute path or empty, got \"token.txt\""),
        ("github:\n  resync: 30s\n", "c.yaml:2:11: github.resync: must be at least 1m, got 30s"),
        ("github:\n  resync: often\n", "c.yaml:2:11: github.resync: invalid duration \"often\" (want a number and a unit s, m, h or d, e.g. 90s, 15m, 24h, 3d)"),
        ("github:\n  token: abc\n", "c.yaml:2:3: github.token: unknown key \"token\" (did you mean \"tokenFile\"?)"),
    ]

    @Test(arguments: errorRows) func errorKind(text: String, expected: String) {
        #expect(ConfigTests.errors(text) == [expected])
    }
}
