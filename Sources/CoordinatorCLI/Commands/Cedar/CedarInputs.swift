import Cedar
import Foundation

// This file (like the rest of Commands/Cedar) imports Cedar but not CoordinatorCore, so `JSONValue` here is Cedar's
// scalar-exact JSON type (keys never normalised, numbers kept as written).

/// A problem with the input of a `coordinator cedar` command: an unreadable file, text that does not parse, a request
/// that is not valid for the schema. Reported as exit status 1 (never 2, which is DENY).
struct CedarInputError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Reading the inputs of the `cedar` subcommands: files, policies, schemas, entities, contexts and uids.
enum CedarInputs {
    /// The whole file as UTF-8 text; `option` names the flag in the error message.
    static func readFile(_ path: String, option: String) throws(CedarInputError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw CedarInputError("cannot read \(option) file \(path): \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CedarInputError("\(option) file \(path) is not UTF-8 text")
        }
        return text
    }

    /// Everything on standard input as UTF-8 text.
    static func readStandardInput() throws(CedarInputError) -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else { throw CedarInputError("standard input is not UTF-8 text") }
        return text
    }

    /// Cedar policy text as a policy set (ids `policy0`, `policy1`, …).
    static func policies(_ text: String) throws(CedarInputError) -> PolicySet {
        do {
            return try PolicySet.parse(text)
        } catch {
            throw CedarInputError("policy parse errors:\n\(error)")
        }
    }

    /// A schema in Cedar syntax or JSON. `json` nil: JSON when the text starts with `{` (after whitespace).
    static func schema(_ text: String, json: Bool? = nil) throws(CedarInputError) -> Schema {
        let isJSON = json ?? (text.first { !$0.isWhitespace } == "{")
        do {
            return isJSON ? try Schema(jsonText: text) : try Schema(cedarSchema: text)
        } catch {
            throw CedarInputError("schema parse errors (\(isJSON ? "JSON" : "Cedar") schema format): \(error)")
        }
    }

    /// A schema file: `.json` is the JSON format, `.cedarschema` (or `.cedar`) Cedar syntax, anything else is sniffed.
    static func schemaFile(_ path: String) throws(CedarInputError) -> Schema {
        let text = try readFile(path, option: "--schema")
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let json: Bool? = ext == "json" ? true : (ext == "cedarschema" || ext == "cedar") ? false : nil
        return try schema(text, json: json)
    }

    /// Entity JSON (a list of entities); with a schema, read with its hints, checked against it, and given the
    /// schema's action entities.
    static func entities(_ text: String, schema: Schema?) throws(CedarInputError) -> Entities {
        do {
            if let schema { return try schema.entities(fromJSON: text) }
            return try Entities.fromJSON(text)
        } catch {
            throw CedarInputError("entities are not valid: \(error)")
        }
    }

    /// A context JSON object; with a schema, read with the action's declared context types (implicit escapes).
    static func context(_ text: String, action: EntityUID, schema: Schema?) throws(CedarInputError) -> CedarRecord {
        do {
            return try CedarRecord.contextFromJSON(text, attributeHints: schema?.contextHints(for: action))
        } catch {
            throw CedarInputError("failed to parse context: \(error)")
        }
    }

    /// An entity uid written in Cedar syntax (`User::"alice"`).
    static func uid(_ text: String, option: String) throws(CedarInputError) -> EntityUID {
        do {
            return try EntityUID.parse(text)
        } catch {
            throw CedarInputError("\(option) is not an entity uid like User::\"alice\": \(error)")
        }
    }

    /// An entity uid given as JSON: `{"type": "User", "id": "alice"}` (also `{"__entity": {...}}`) or a string in
    /// Cedar syntax. The object form takes any id verbatim (quotes, backslashes, unnormalised unicode).
    static func uid(_ value: JSONValue, field: String) throws(CedarInputError) -> EntityUID {
        if let text = value.stringValue { return try uid(text.string, option: field) }
        guard case .object = value.kind else {
            throw CedarInputError("\(field) must be {\"type\": …, \"id\": …} or a uid string, not \(value.kindDescription)")
        }
        let parsed: Value
        do {
            parsed = try Value.fromJSON(JSONWriter.compact(value), hint: .entity)
        } catch {
            throw CedarInputError("\(field) is not an entity uid: \(error)")
        }
        guard case .entity(let uid) = parsed else {
            throw CedarInputError("\(field) must be {\"type\": …, \"id\": …}")
        }
        return uid
    }
}

/// The JSON shapes the `cedar` subcommands print (snake_case keys, as cedarpy's raw results).
enum CedarOutput {
    static func string(_ text: String) -> JSONValue { .string(CedarString(text)) }

    /// `{"decision", "reasons" (sorted), "errors": [{"policy_id", "message"}], "request_error": false | "message"}`.
    static func response(_ response: Response) -> JSONValue {
        .object([
            ("decision", string(response.decision.rawValue)),
            ("reasons", .array(response.reasons.sorted().map(string))),
            ("errors", .array(response.errors.map { .object([("policy_id", string($0.policyID)), ("message", string($0.message))]) })),
            ("request_error", response.requestError.map(string) ?? .bool(false)),
        ])
    }

    /// A request that could not be evaluated: deny, with the reason in `request_error` (cedarpy's NoDecision).
    static func requestError(_ message: String) -> JSONValue {
        response(Response(decision: .deny, requestError: message))
    }

    /// `{"passed", "errors": [{"policy_id", "message"}]}`.
    static func validation(_ result: ValidationResult) -> JSONValue {
        validation(passed: result.passed, errors: result.errors.map { ($0.policyID, $0.message) })
    }

    static func validation(passed: Bool, errors: [(policyID: String, message: String)]) -> JSONValue {
        .object([
            ("passed", .bool(passed)),
            ("errors", .array(errors.map { .object([("policy_id", string($0.policyID)), ("message", string($0.message))]) })),
        ])
    }

    /// Writes one line to standard output and flushes it (a batch driver waits for each answer).
    static func writeLine(_ value: JSONValue) {
        writeLine(JSONWriter.compact(value))
    }

    static func writeLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    }
}
