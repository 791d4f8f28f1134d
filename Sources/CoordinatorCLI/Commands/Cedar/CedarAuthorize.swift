import ArgumentParser
import Cedar

extension CedarCommand {
    /// `coordinator cedar authorize`: one request, as `cedar authorize` does it.
    struct Authorize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide one request: prints ALLOW or DENY (with the deciding policies and any policy errors).",
            discussion: """
                Exit status: 0 ALLOW, 2 DENY, 1 input error (unreadable file; policies, schema, entities or context \
                that do not parse; a uid that does not parse; a request not valid for the schema) — nothing is \
                decided then. Note 2 is also the exit status of a command-line usage error; with --json a DENY \
                always prints its JSON object on stdout.
                --json prints {"decision": "allow"|"deny", "reasons": [policy ids], "errors": [{"policy_id", \
                "message"}], "request_error": false | "message"}; an input error prints decision "deny" with \
                request_error set (and exits 1).
                With --schema, entities and context are read with the schema's types and checked against it, and \
                the request is validated against the action's appliesTo and context.
                """)

        @Option(help: "Cedar policy file.") var policies: String
        @Option(help: "Entity JSON file (a list of {uid, attrs, parents}).") var entities: String
        @Option(help: "Schema file: .cedarschema (Cedar syntax) or .json; other extensions are sniffed.") var schema: String?
        @Option(help: "Principal uid, e.g. 'User::\"alice\"'.") var principal: String
        @Option(help: "Action uid, e.g. 'Action::\"view\"'.") var action: String
        @Option(help: "Resource uid, e.g. 'Photo::\"p1.jpg\"'.") var resource: String
        @Option(help: "Context JSON file (an object; default {}).") var context: String?
        @Flag(help: "Print the decision as JSON.") var json = false

        func run() throws {
            let response: Response
            do {
                response = try decide()
            } catch {
                if json {
                    CedarOutput.writeLine(CedarOutput.requestError(error.message))
                } else {
                    CedarOutput.writeError(error.message)
                }
                throw CommandExit(status: .failure)
            }
            if let requestError = response.requestError {
                if json { CedarOutput.writeLine(CedarOutput.response(response)) } else { CedarOutput.writeError(requestError) }
                throw CommandExit(status: .failure)
            }
            if json {
                CedarOutput.writeLine(CedarOutput.response(response))
            } else {
                CedarOutput.writeLine(response.decision == .allow ? "ALLOW" : "DENY")
                if !response.reasons.isEmpty {
                    CedarOutput.writeLine("reasons: \(response.reasons.sorted().joined(separator: ", "))")
                }
                for error in response.errors {
                    CedarOutput.writeLine("error in \(error.policyID): \(error.message)")
                }
            }
            if response.decision != .allow { throw CommandExit(status: .usage) }
        }

        private func decide() throws(CedarInputError) -> Response {
            let principalUID = try CedarInputs.uid(principal, option: "--principal")
            let actionUID = try CedarInputs.uid(action, option: "--action")
            let resourceUID = try CedarInputs.uid(resource, option: "--resource")
            let policySet = try CedarInputs.policies(try CedarInputs.readFile(policies, option: "--policies"))
            let schemaValue = try schema.map { path throws(CedarInputError) in try CedarInputs.schemaFile(path) }
            let store = try CedarInputs.entities(try CedarInputs.readFile(entities, option: "--entities"), schema: schemaValue)
            let contextText = try context.map { path throws(CedarInputError) in try CedarInputs.readFile(path, option: "--context") } ?? "{}"
            let record = try CedarInputs.context(contextText, action: actionUID, schema: schemaValue)
            let request = Request(principal: principalUID, action: actionUID, resource: resourceUID, context: record)
            return Authorizer.isAuthorized(request: request, policies: policySet, entities: store, schema: schemaValue)
        }
    }
}
