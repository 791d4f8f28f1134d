import ArgumentParser
import Cedar
import Foundation

extension CedarCommand {
    /// `coordinator cedar validate`: strict validation of a policy set against a schema.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate policies against a schema (strict mode, as cedarpy.validate_policies).",
            discussion: """
                Prints "validation passed", or one line per error: `policy0: message`.
                Exit status: 0 passed, 3 validation errors, 1 input error (unreadable file, policies or schema \
                that do not parse).
                --json prints {"passed": bool, "errors": [{"policy_id", "message"}]}; a policy parse error is \
                reported there as one error with policy_id "" (as cedarpy does), still with exit status 1.
                """)

        @Option(help: "Cedar policy file.") var policies: String
        @Option(help: "Schema file: .cedarschema (Cedar syntax) or .json; other extensions are sniffed.") var schema: String
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let result: ValidationResult
            do {
                let schemaValue = try CedarInputs.schemaFile(schema)
                let policySet = try CedarInputs.policies(try CedarInputs.readFile(policies, option: "--policies"))
                result = Validator.validate(policySet, schema: schemaValue)
            } catch {
                if json {
                    CedarOutput.writeLine(CedarOutput.validation(passed: false, errors: [("", error.message)]))
                } else {
                    CedarOutput.writeError(error.message)
                }
                throw CommandExit(status: .failure)
            }
            if json {
                CedarOutput.writeLine(CedarOutput.validation(result))
            } else if result.passed {
                CedarOutput.writeLine("validation passed")
            } else {
                for error in result.errors { CedarOutput.writeLine("\(error.policyID): \(error.message)") }
            }
            if !result.passed { throw CommandExit(status: .declined) }
        }
    }

    /// `coordinator cedar format`: canonical policy text.
    struct Format: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print policies in canonical form (from --policies, or standard input).",
            discussion: """
                The output round-trips (it parses to the same policies) but is not byte-for-byte what the official \
                `cedar format` prints, and comments are not kept (a note on stderr says so when the input has any).
                Exit status: 0 ok, 1 the policies do not parse or (with --check) the input is not already formatted.
                """)

        @Option(help: "Cedar policy file (default: standard input; `-` also means standard input).") var policies: String?
        @Flag(help: "Print nothing; exit 1 if the input differs from its canonical form.") var check = false

        func run() throws {
            let text: String
            let formatted: String
            do {
                if let policies, policies != "-" {
                    text = try CedarInputs.readFile(policies, option: "--policies")
                } else {
                    text = try CedarInputs.readStandardInput()
                }
                formatted = PolicyFormatter.format(try CedarInputs.policies(text))
            } catch {
                CedarOutput.writeError(error.message)
                throw CommandExit(status: .failure)
            }
            if check {
                if formatted != text {
                    CedarOutput.writeError("\(policies ?? "standard input") is not formatted")
                    throw CommandExit(status: .failure)
                }
                return
            }
            if Self.hasComment(text) {
                FileHandle.standardError.write(Data("note: comments are not kept by cedar format\n".utf8))
            }
            FileHandle.standardOutput.write(Data(formatted.utf8))
        }

        /// Whether `text` has a `//` comment outside string literals.
        static func hasComment(_ text: String) -> Bool {
            var inString = false
            var escaped = false
            var previousSlash = false
            for scalar in text.unicodeScalars {
                if inString {
                    if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                    continue
                }
                if scalar == "/" {
                    if previousSlash { return true }
                    previousSlash = true
                    continue
                }
                previousSlash = false
                if scalar == "\"" { inString = true }
            }
            return false
        }
    }
}
