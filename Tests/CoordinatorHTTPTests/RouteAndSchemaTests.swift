import CoordinatorCore
@testable import CoordinatorHTTP
import Foundation
import Testing

@Suite("Routes and OpenAPI generation")
struct RouteAndSchemaTests {
    @Test func trailingParameterCapturesSlashes() {
        let template = RouteTemplate("/locks/status/{file_path}")
        #expect(template.routerPath == "/locks/status/**")
        #expect(template.parameterNames == ["file_path"])
        #expect(template.match("/locks/status/src/a.swift")?["file_path"] == "src/a.swift")
        #expect(template.match("/locks/status/src%2Fb%20c.swift")?["file_path"] == "src/b c.swift")
        #expect(template.match("/locks/status/api:GET%20%2Fv1")?["file_path"] == "api:GET /v1")
        #expect(template.match("/locks/status/%zz")?["file_path"] == .some(nil), "broken percent-encoding is reported, not guessed")
        #expect(template.match("/locks/status/") == nil)
        #expect(template.match("/locks/status") == nil)
        #expect(template.match("/locks/other/a") == nil)
    }

    @Test func innerParameterCapturesOneSegment() {
        let template = RouteTemplate("/tasks/{task_id}/lease")
        #expect(template.routerPath == "/tasks/:task_id/lease")
        #expect(template.match("/tasks/abc/lease")?["task_id"] == "abc")
        #expect(template.match("/tasks/abc/lease/") != nil)
        #expect(template.match("/tasks/a/b/lease") == nil)
    }

    @Test func openAPIListsEveryRoutedOperation() throws {
        let document = OpenAPIDocument.make(catalog: .standard, requiresAPIKey: true)
        // Round-trip through text: what clients get must parse.
        let parsed = try JSONValue(jsonText: document.jsonText)
        #expect(parsed["openapi"] == "3.1.0")
        let paths = try #require(parsed["paths"]?.objectValue)
        var operationIds = Set<String>()
        for item in paths.values {
            for (_, operation) in item.objectValue ?? [:] {
                if let id = operation["operationId"]?.stringValue { operationIds.insert(id) }
            }
        }
        for operation in OperationCatalog.standard.operations where operation.route != nil {
            #expect(operationIds.contains(operation.name), "\(operation.name) is missing")
            let route = try #require(operation.route)
            let entry = paths[route.path]?[route.method.rawValue.lowercased()]
            #expect(entry?["summary"] == .string(operation.summary))
            #expect(entry?["responses"]?["422"] != nil && entry?["responses"]?["503"] != nil)
        }
        #expect(parsed["components"]?["securitySchemes"]?["ApiKeyAuth"]
            == ["type": "apiKey", "in": "header", "name": "X-API-Key"])
        #expect(operationIds.isSuperset(of: ["health", "live", "ready", "openapi"]))
    }

    @Test func securityFollowsConfiguration() throws {
        let keyed = OpenAPIDocument.make(catalog: .standard, requiresAPIKey: true)
        #expect(keyed["paths"]?["/locks/acquire"]?["post"]?["security"] == [["ApiKeyAuth": []]])
        #expect(keyed["paths"]?["/locks/acquire"]?["post"]?["responses"]?["401"] != nil)
        #expect(keyed["paths"]?["/locks/status/{file_path}"]?["get"]?["security"] == [])
        #expect(keyed["paths"]?["/health"]?["get"]?["security"] == [])
        let open = OpenAPIDocument.make(catalog: .standard, requiresAPIKey: false)
        #expect(open["components"]?["securitySchemes"] == nil)
        #expect(open["paths"]?["/locks/acquire"]?["post"]?["responses"]?["401"] == nil)
    }

    @Test func bodySchemaStatesWhatTheValidatorAccepts() throws {
        let document = OpenAPIDocument.make(catalog: .standard, requiresAPIKey: true)
        let body = try #require(document["paths"]?["/locks/acquire"]?["post"]?["requestBody"])
        #expect(body["required"] == true)
        let schema = try #require(body["content"]?["application/json"]?["schema"])
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == ["file_path"])
        #expect(schema["properties"]?["file_path"]?["type"] == "string", "required: not nullable")
        #expect(schema["properties"]?["file_path"]?["pattern"] == .string(OpenAPISchema.nonBlankPattern))
        #expect(schema["properties"]?["ttl_minutes"]?["type"] == ["integer", "null"], "optional: null means absent")
        #expect(schema["properties"]?["ttl_minutes"]?["minimum"] == 1 && schema["properties"]?["ttl_minutes"]?["maximum"] == 480)
        for field in ["agent_id", "agent_type", "session_id"] {
            #expect(schema["properties"]?[field]?["type"] == ["string", "null"], "\(field) is optional in every body")
        }
        let status = try #require(document["paths"]?["/locks/status/{file_path}"]?["get"]?["parameters"]?.arrayValue?.first)
        #expect(status["in"] == "path" && status["required"] == true && status["name"] == "file_path")
        let claim = try #require(document["paths"]?["/work/claim"]?["post"]?["requestBody"])
        #expect(claim["required"] == false, "no required input: the body may be omitted")
        let submit = try #require(document["paths"]?["/work/submit"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"])
        #expect(submit["properties"]?["input_data"]?["additionalProperties"] == ["$ref": "#/components/schemas/FreeValue"])
        #expect(submit["properties"]?["input_data"]?["type"] == ["object", "null"])
        #expect(document["components"]?["schemas"]?["FreeValue"] != nil && document["components"]?["schemas"]?["FreeObject"] != nil)
        let list = try #require(document["paths"]?["/work/list"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"])
        #expect(list["properties"]?["status"]?["enum"]?.arrayValue?.last == .null)
    }

    /// The pattern must agree with the validator's notion of blank text (Foundation's whitespacesAndNewlines).
    @Test func nonBlankPatternMatchesTheValidator() throws {
        let regex = try NSRegularExpression(pattern: OpenAPISchema.nonBlankPattern)
        let samples = [" ", "\t\n", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{0085}", "\u{2028}", "\u{200B}", "\u{200C}", "\u{1C}", "a", " x ", "\u{FEFF}", "\u{180E}"]
        for sample in samples {
            let blank = sample.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            let matches = regex.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
            #expect(matches == !blank, "\(sample.unicodeScalars.map { String($0.value, radix: 16) })")
            let validated = Result { try InputSchema.text.validate(.string(sample)) }
            #expect(((try? validated.get()) != nil) == matches)
        }
        let noNUL = try NSRegularExpression(pattern: OpenAPISchema.noNULPattern)
        for (sample, expected) in [("", true), ("a\nb", true), ("a\u{0}b", false), ("\u{0}", false)] {
            #expect((noNUL.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil) == expected)
            #expect((regex.firstMatch(in: sample + "x", range: NSRange((sample + "x").startIndex..., in: sample + "x")) != nil) == expected)
        }
    }
}
