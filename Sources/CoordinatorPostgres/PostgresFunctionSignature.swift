import CoordinatorCore

/// One overload of a SQL function as the catalog describes it, and how to call it with named JSON parameters.
///
/// Parameters are bound as text and cast to their declared type (`$1::text::integer`), so PostgreSQL's own
/// input functions convert them: text, integer, boolean, uuid, timestamptz, interval (`'15 minutes'`), … .
/// `json`/`jsonb` parameters receive the JSON text of any value (a JSON string stays a JSON string). Array
/// parameters take a JSON array (converted to an array literal, `null` elements become NULL) or a string in
/// PostgreSQL array syntax. A JSON `null` is SQL NULL.
struct PostgresFunctionSignature: Sendable, Equatable {
    struct Parameter: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case scalar, json, array, pseudo
        }

        let name: String
        /// `format_type` of the declared type, without type modifier (`timestamp with time zone`, `uuid[]`).
        let type: String
        let kind: Kind
        let variadic: Bool
    }

    let schema: String
    let name: String
    /// Input parameters (IN, INOUT, VARIADIC) in declaration order.
    let parameters: [Parameter]
    /// How many trailing input parameters have defaults.
    let defaults: Int
    let returnType: String
    let returnsSet: Bool

    /// Input parameters without a default.
    var required: ArraySlice<Parameter> { parameters.dropLast(defaults) }

    func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// The catalog query for every overload of `name` (in `schema`, or visible in the search path), as one JSON
    /// array text. `$1` = function name, `$2` = schema or NULL.
    static let catalogSQL = """
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'schema', n.nspname,
                   'defaults', p.pronargdefaults,
                   'returns', pg_catalog.format_type(p.prorettype, NULL),
                   'returns_set', p.proretset,
                   'arguments', (
                       SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'name', coalesce(p.proargnames[a.ordinal], ''),
                                  'mode', coalesce(p.proargmodes[a.ordinal]::text, 'i'),
                                  'type', pg_catalog.format_type(a.type_oid, NULL),
                                  'category', t.typcategory::text,
                                  'pseudo', t.typtype = 'p') ORDER BY a.ordinal), '[]'::jsonb)
                       FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS a (type_oid, ordinal)
                       JOIN pg_catalog.pg_type t ON t.oid = a.type_oid))
                   ORDER BY p.oid), '[]'::jsonb)::text
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.proname = $1::text
          AND p.prokind = 'f'
          AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_function_is_visible(p.oid) ELSE n.nspname = $2::text END
        """

    /// Reads the catalog query's answer.
    static func decode(_ text: String, name: String) throws -> [PostgresFunctionSignature] {
        guard case .array(let items) = try JSONValue(jsonText: text) else {
            throw DatabaseError(.malformedResponse, backend: DirectPostgresClient.name, "catalog answer for \(name) is not an array")
        }
        return try items.map { item in
            guard let schema = item["schema"]?.stringValue, let arguments = item["arguments"]?.arrayValue,
                let returnType = item["returns"]?.stringValue
            else {
                throw DatabaseError(.malformedResponse, backend: DirectPostgresClient.name, "catalog answer for \(name) lacks fields")
            }
            let inputs = arguments.filter { ["i", "b", "v"].contains($0["mode"]?.stringValue ?? "i") }
            let parameters = inputs.map { argument -> Parameter in
                let type = argument["type"]?.stringValue ?? "text"
                let kind: Parameter.Kind
                if argument["pseudo"]?.boolValue == true {
                    kind = .pseudo
                } else if type == "json" || type == "jsonb" {
                    kind = .json
                } else if argument["category"]?.stringValue == "A" {
                    kind = .array
                } else {
                    kind = .scalar
                }
                return Parameter(name: argument["name"]?.stringValue ?? "", type: type, kind: kind,
                                 variadic: argument["mode"]?.stringValue == "v")
            }
            return PostgresFunctionSignature(
                schema: schema, name: name, parameters: parameters, defaults: item["defaults"]?.intValue ?? 0,
                returnType: returnType, returnsSet: item["returns_set"]?.boolValue ?? false)
        }
    }

    /// The overload to call with these parameter names: one that has them all and whose required parameters
    /// are all given, the one with the fewest parameters when several fit. Throws `.invalidRequest` naming the
    /// first unknown parameter, or the missing required ones.
    static func choose(_ overloads: [PostgresFunctionSignature], for names: some Collection<String>,
                       function: String) throws -> PostgresFunctionSignature {
        let candidates = overloads.filter { overload in names.allSatisfy { overload.parameter(named: $0) != nil } }
        let complete = candidates.filter { overload in overload.required.allSatisfy { names.contains($0.name) } }
        if let best = complete.min(by: { $0.parameters.count < $1.parameters.count }) {
            return best
        }
        if let closest = candidates.min(by: { $0.parameters.count < $1.parameters.count }) {
            let missing = closest.required.map(\.name).filter { !names.contains($0) }
            throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name,
                                "function \(function) needs parameter\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        let sorted = names.sorted()
        if let unknown = sorted.first(where: { name in !overloads.contains { $0.parameter(named: name) != nil } }) {
            throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name, "function \(function) has no parameter \(unknown)")
        }
        throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name,
                            "no overload of function \(function) takes all of \(sorted.joined(separator: ", "))")
    }

    /// `SELECT …` calling this overload with named arguments; its one text column is the JSON result
    /// (`to_jsonb` of the return value, a JSON array for set-returning functions, NULL for `void`).
    func callStatement(_ arguments: JSONObject, function: String) throws -> PostgresStatement {
        var statement = PostgresStatement()
        var pieces: [String] = []
        // A VARIADIC argument must come last in the call.
        let sorted = arguments.keys.sorted()
        let names = sorted.filter { parameter(named: $0)?.variadic != true } + sorted.filter { parameter(named: $0)?.variadic == true }
        for name in names {
            guard let parameter = parameter(named: name), let value = arguments[name] else { continue }
            let text = try Self.text(of: value, for: parameter, function: function)
            let placeholder = statement.bind(text)
            let typed: String
            switch parameter.kind {
            case .pseudo: typed = placeholder
            case _ where parameter.type == "text": typed = "\(placeholder)::text"
            default: typed = "\(placeholder)::text::\(parameter.type)"
            }
            pieces.append("\(parameter.variadic ? "VARIADIC " : "")\(SQLIdentifier.quoted(name)) => \(typed)")
        }
        let call = "\(SQLIdentifier.quoted(schema)).\(SQLIdentifier.quoted(self.name))(\(pieces.joined(separator: ", ")))"
        if returnsSet {
            statement.sql = "SELECT coalesce(jsonb_agg(to_jsonb(coordinator_result)), '[]'::jsonb)::text FROM \(call) AS coordinator_result"
        } else if returnType == "void" {
            statement.sql = "SELECT NULL::text FROM (SELECT \(call)) AS coordinator_result"
        } else {
            statement.sql = "SELECT to_jsonb(\(call))::text"
        }
        return statement
    }

    /// The text bound for one JSON argument (`nil` = SQL NULL).
    static func text(of value: JSONValue, for parameter: Parameter, function: String) throws -> String? {
        if case .null = value { return nil }
        switch parameter.kind {
        case .json:
            return value.jsonText
        case .array:
            switch value {
            case .array(let elements): return arrayLiteral(elements)
            case .string(let literal): return literal
            default: break
            }
        case .scalar, .pseudo:
            if let text = scalarText(value) { return text }
        }
        throw DatabaseError(.invalidRequest, backend: DirectPostgresClient.name,
                            "parameter \(parameter.name) of \(function) is \(parameter.type); got \(["array", "object", "integer"].contains(value.typeName) ? "an" : "a") \(value.typeName)")
    }

    /// Text of a JSON scalar as PostgreSQL's input functions expect it; `nil` for arrays and objects.
    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.rounded() == number, abs(number) < 9.0e15 { return String(Int(number)) }
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
            return String(number)
        case .string(let text): return text
        case .array, .object: return nil
        }
    }

    /// A PostgreSQL array literal: `{"a","b",NULL}`, nested arrays as nested braces, objects as JSON text.
    static func arrayLiteral(_ elements: [JSONValue]) -> String {
        let items = elements.map { element -> String in
            switch element {
            case .null: return "NULL"
            case .array(let inner): return arrayLiteral(inner)
            case .object: return quoted(element.jsonText)
            default: return quoted(scalarText(element) ?? "")
            }
        }
        return "{" + items.joined(separator: ",") + "}"
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }
}
