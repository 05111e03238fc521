import ArgumentParser
import Foundation
import Runs

/// `codex-k8s validate-config FILE`: prints the effective configuration (defaults filled in), or
/// every error as `file:line:column: key.path: message`, one per line, and exits 1.
/// `--print-defaults` prints the defaults with a comment per key (that is `examples/config.yaml`).
struct ValidateConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-config",
        abstract: "Check an operator configuration file and print the effective configuration.")

    @Argument(help: "The YAML configuration file.")
    var file: String?

    @Flag(help: "Print the default configuration, every key with a comment, and exit.")
    var printDefaults = false

    func validate() throws {
        if file == nil && !printDefaults { throw ValidationError("give the configuration FILE to check") }
    }

    func run() throws {
        if printDefaults {
            print(OperatorConfig.defaults.render(comments: true), terminator: "")
            return
        }
        guard let file else { return }
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("\(file): cannot read the file\n".utf8))
            throw ExitCode(2)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("\(file):1:1: the file is not UTF-8\n".utf8))
            throw ExitCode.failure
        }
        switch OperatorConfig.load(text, file: file) {
        case .success(let config):
            print(config.render(), terminator: "")
        case .failure(let errors):
            FileHandle.standardError.write(Data((errors.description + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
