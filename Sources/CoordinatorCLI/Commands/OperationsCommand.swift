import ArgumentParser
import CoordinatorCore

/// `coordinator operations`: the operation catalog every transport is generated from.
struct OperationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operations",
        abstract: "List every coordination operation: MCP tool name, HTTP route, category and summary.")

    @Flag(help: "Print a Markdown table (as in the README).") var markdown = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let operations = OperationCatalog.standard.operations
        if output.json {
            print(JSONValue.array(operations.map { operation in
                [
                    "name": .string(operation.name), "summary": .string(operation.summary),
                    "category": .string(operation.category.rawValue),
                    "http": operation.route.map { .string("\($0.method.rawValue) \($0.path)") } ?? .null,
                    "input_schema": operation.input.json,
                ]
            }).prettyJSONText)
        } else if markdown {
            print("| MCP tool | HTTP | category | what it does |\n|---|---|---|---|")
            for operation in operations {
                let route = operation.route.map { "`\($0.method.rawValue) \($0.path)`" } ?? "—"
                print("| `\(operation.name)` | \(route) | \(operation.category.rawValue) | \(operation.summary) |")
            }
        } else {
            for operation in operations {
                let route = operation.route.map { "\($0.method.rawValue) \($0.path)" } ?? "-"
                print("\(operation.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(route.padding(toLength: 30, withPad: " ", startingAt: 0)) \(operation.summary)")
            }
        }
    }
}
