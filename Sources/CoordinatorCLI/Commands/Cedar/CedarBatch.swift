import ArgumentParser
import Cedar

extension CedarCommand {
    /// `coordinator cedar batch`: JSON lines in, one JSON answer per line out — the Swift side of the differential
    /// harness against cedarpy.
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer JSON-lines requests on stdin, one JSON answer per line on stdout (for differential testing).",
            discussion: """
                Each line is one of:
                  {"policies": "text", "entities": [...] | "json text" | null, "schema": "text" | {json schema} | null,
                   "principal": {"type", "id"} | "T::\\"id\\"", "action": …, "resource": …, "context": {...}}
                    → {"decision": "allow"|"deny", "reasons": [...], "errors": [{"policy_id", "message"}],
                       "request_error": false | "message"}
                  the same with "requests": [{"principal", "action", "resource", "context"}, …] instead of one request
                    → {"results": [answer, …]}
                  {"op": "validate", "policies": "text", "schema": …} → {"passed": bool, "errors": [{"policy_id", "message"}]}
                    (a policy parse error is one error with policy_id "", as in cedarpy)
                  {"op": "format", "policies": "text"} → {"formatted": "text"}
                Input that cannot be evaluated (policies, schema, entities or context that do not parse, a request not \
                valid for the schema) answers decision "deny" with request_error set, like cedarpy's NoDecision. A line \
                that is not a request at all answers {"error": "message", "line": N}. An "id" member is echoed back. \
                Blank lines are skipped. Policies, schemas and entities are parsed once per distinct text. Exit status 0 \
                at the end of input.
                """)

        func run() throws {
            var processor = CedarBatchProcessor()
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                CedarOutput.writeLine(processor.answer(line, lineNumber: lineNumber))
            }
        }
    }
}

/// Answers batch lines, caching parsed policies, schemas and entities by their exact text (byte-exact `CedarString`
/// keys: Swift `String` equality would merge texts that differ only in Unicode normalisation).
struct CedarBatchProcessor {
    private struct EntitiesKey: Hashable {
        let entities: CedarString
        let schema: SchemaKey?
    }

    private struct SchemaKey: Hashable {
        let text: CedarString
        let isJSON: Bool
    }

    /// A line that is not a request (reported as `{"error"}`).
    private struct Malformed: Error {
        let message: String
    }

    private static let cacheLimit = 512
    private var policyCache: [CedarString: Result<PolicySet, CedarInputError>] = [:]
    private var schemaCache: [SchemaKey: Result<Schema, CedarInputError>] = [:]
    private var entityCache: [EntitiesKey: Result<Entities, CedarInputError>] = [:]

    mutating func answer(_ line: String, lineNumber: Int) -> JSONValue {
        let document: JSONValue
        do {
            document = try JSONValue.parse(line)
        } catch {
            return Self.error("not JSON: \(error)", lineNumber: lineNumber, id: nil)
        }
        guard case .object = document.kind else {
            return Self.error("expected a JSON object, found \(document.kindDescription)", lineNumber: lineNumber, id: nil)
        }
        let id = document["id"]
        do throws(Malformed) {
            let answer: JSONValue
            switch document["op"]?.stringValue?.string ?? "authorize" {
            case "authorize": answer = try authorize(document)
            case "validate": answer = try validate(document)
            case "format": answer = try format(document)
            case let other: throw Malformed(message: "unknown op `\(other)` (authorize, validate, format)")
            }
            guard let id, case .object(var members) = answer.kind else { return answer }
            members.insert(JSONMember(key: "id", value: id), at: 0)
            return JSONValue(.object(members))
        } catch {
            return Self.error(error.message, lineNumber: lineNumber, id: id)
        }
    }

    // MARK: Operations

    private mutating func authorize(_ document: JSONValue) throws(Malformed) -> JSONValue {
        let policyText = try Self.text(document, "policies")
        let schemaKey = try Self.schemaKey(document["schema"])
        let entitiesText = try Self.entitiesText(document["entities"])
        let requests: [JSONValue]
        let single: Bool
        if let list = document["requests"] {
            guard let items = list.arrayValue else { throw Malformed(message: "`requests` must be an array") }
            requests = items
            single = false
        } else {
            requests = [document]
            single = true
        }
        for (index, request) in requests.enumerated() {
            for field in ["principal", "action", "resource"] where request[CedarString(field)] == nil {
                throw Malformed(message: single ? "missing `\(field)`" : "requests[\(index)]: missing `\(field)`")
            }
        }
        // Everything shared by the requests; a failure here answers every request with the same request error.
        let shared: Result<(PolicySet, Schema?, Entities), CedarInputError> = Result { () throws(CedarInputError) in
            let policySet = try policies(policyText)
            let schemaValue = try schemaKey.map { key throws(CedarInputError) in try schema(key) }
            let store = try entities(entitiesText, schemaKey: schemaKey, schema: schemaValue)
            return (policySet, schemaValue, store)
        }
        let answers = requests.map { request -> JSONValue in
            switch shared {
            case .failure(let error):
                return CedarOutput.requestError(error.message)
            case .success(let (policySet, schemaValue, store)):
                do throws(CedarInputError) {
                    let principal = try CedarInputs.uid(request["principal"]!, field: "principal")
                    let action = try CedarInputs.uid(request["action"]!, field: "action")
                    let resource = try CedarInputs.uid(request["resource"]!, field: "resource")
                    let context = try CedarInputs.context(Self.contextText(request["context"]), action: action, schema: schemaValue)
                    let cedarRequest = Request(principal: principal, action: action, resource: resource, context: context)
                    return CedarOutput.response(
                        Authorizer.isAuthorized(request: cedarRequest, policies: policySet, entities: store, schema: schemaValue))
                } catch {
                    return CedarOutput.requestError(error.message)
                }
            }
        }
        return single ? answers[0] : .object([("results", .array(answers))])
    }

    private mutating func validate(_ document: JSONValue) throws(Malformed) -> JSONValue {
        let policyText = try Self.text(document, "policies")
        guard let schemaKey = try Self.schemaKey(document["schema"]) else { throw Malformed(message: "missing `schema`") }
        let schemaValue: Schema
        do {
            schemaValue = try schema(schemaKey)
        } catch {
            throw Malformed(message: error.message)
        }
        do {
            return CedarOutput.validation(Validator.validate(try policies(policyText), schema: schemaValue))
        } catch {
            return CedarOutput.validation(passed: false, errors: [("", error.message)])
        }
    }

    private mutating func format(_ document: JSONValue) throws(Malformed) -> JSONValue {
        let policyText = try Self.text(document, "policies")
        do {
            return .object([("formatted", CedarOutput.string(PolicyFormatter.format(try policies(policyText))))])
        } catch {
            throw Malformed(message: error.message)
        }
    }

    // MARK: Cached parsing

    private mutating func policies(_ text: CedarString) throws(CedarInputError) -> PolicySet {
        if policyCache.count >= Self.cacheLimit { policyCache.removeAll() }
        let result = policyCache[text] ?? Result { () throws(CedarInputError) in try CedarInputs.policies(text.string) }
        policyCache[text] = result
        return try result.get()
    }

    private mutating func schema(_ key: SchemaKey) throws(CedarInputError) -> Schema {
        if schemaCache.count >= Self.cacheLimit { schemaCache.removeAll() }
        let result = schemaCache[key] ?? Result { () throws(CedarInputError) in try CedarInputs.schema(key.text.string, json: key.isJSON) }
        schemaCache[key] = result
        return try result.get()
    }

    private mutating func entities(_ text: CedarString, schemaKey: SchemaKey?, schema: Schema?) throws(CedarInputError) -> Entities {
        if entityCache.count >= Self.cacheLimit { entityCache.removeAll() }
        let key = EntitiesKey(entities: text, schema: schemaKey)
        let result = entityCache[key] ?? Result { () throws(CedarInputError) in try CedarInputs.entities(text.string, schema: schema) }
        entityCache[key] = result
        return try result.get()
    }

    // MARK: Reading the line

    private static func text(_ document: JSONValue, _ field: String) throws(Malformed) -> CedarString {
        guard let value = document[CedarString(field)] else { throw Malformed(message: "missing `\(field)`") }
        guard let text = value.stringValue else { throw Malformed(message: "`\(field)` must be a string of Cedar text") }
        return text
    }

    /// Schema text (Cedar syntax, or JSON if it starts with `{`), a JSON schema object, or nothing.
    private static func schemaKey(_ value: JSONValue?) throws(Malformed) -> SchemaKey? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue {
            return SchemaKey(text: text, isJSON: text.string.first { !$0.isWhitespace } == "{")
        }
        guard case .object = value.kind else {
            throw Malformed(message: "`schema` must be Cedar schema text, a JSON schema object, or null")
        }
        return SchemaKey(text: CedarString(JSONWriter.compact(value)), isJSON: true)
    }

    /// Entity JSON text: given as text, or as the list itself; nothing means no entities.
    private static func entitiesText(_ value: JSONValue?) throws(Malformed) -> CedarString {
        guard let value, !value.isNull else { return "[]" }
        if let text = value.stringValue { return text }
        guard case .array = value.kind else { throw Malformed(message: "`entities` must be a list, JSON text, or null") }
        return CedarString(JSONWriter.compact(value))
    }

    private static func contextText(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "{}" }
        if let text = value.stringValue { return text.string }
        return JSONWriter.compact(value)
    }

    private static func error(_ message: String, lineNumber: Int, id: JSONValue?) -> JSONValue {
        var members: [(String, JSONValue)] = [("error", CedarOutput.string(message)), ("line", .number(Int64(lineNumber)))]
        if let id { members.insert(("id", id), at: 0) }
        return .object(members)
    }
}
