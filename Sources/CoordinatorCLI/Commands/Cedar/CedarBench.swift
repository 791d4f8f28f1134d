import ArgumentParser
import Cedar
import Foundation

extension CedarCommand {
    /// `coordinator cedar bench`: authorization latency of the built-in engine, for comparison with cedarpy
    /// (tools/cedar/bench/bench.py). Everything is parsed once; only `Authorizer.isAuthorized` is timed.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time Authorizer.isAuthorized over a JSON-lines request file (p50/p99/mean µs per decision).",
            discussion: """
                The requests file has one JSON object per line: {"principal": {"type", "id"} | "T::\\"id\\"", \
                "action": …, "resource": …, "context": {...}}. Policies, schema, entities, uids and contexts are \
                parsed once, before timing; each decision is then timed on its own with ContinuousClock, over \
                --passes passes of the whole file, after --warmup untimed decisions.
                --json prints {"requests", "passes", "decisions", "p50_us", "p90_us", "p99_us", "mean_us", \
                "min_us", "max_us", "decisions_per_s", "allow", "deny", "request_errors", "policy_errors"} (the \
                counts are per pass).
                Exit status 0, or 1 on an input error.
                """)

        @Option(help: "Cedar policy file.") var policies: String
        @Option(help: "Entity JSON file (a list of {uid, attrs, parents}).") var entities: String
        @Option(help: "JSON-lines request file.") var requests: String
        @Option(help: "Schema file: .cedarschema (Cedar syntax) or .json; passed to every decision when given.") var schema: String?
        @Option(help: "Untimed decisions before timing (default: one pass over the requests).") var warmup: Int?
        @Option(help: "Timed passes over the requests.") var passes: Int = 5
        @Flag(help: "Print the results as JSON.") var json = false

        func run() throws {
            let inputs: (PolicySet, Schema?, Entities, [Request])
            do {
                inputs = try load()
            } catch {
                CedarOutput.writeError(error.message)
                throw CommandExit(status: .failure)
            }
            let (policySet, schemaValue, store, list) = inputs
            guard !list.isEmpty else {
                CedarOutput.writeError("no requests in \(requests)")
                throw CommandExit(status: .failure)
            }

            // Counts from one untimed pass (every pass decides the same).
            var allow = 0, requestErrors = 0, policyErrors = 0
            for request in list {
                let response = Authorizer.isAuthorized(request: request, policies: policySet, entities: store, schema: schemaValue)
                if response.decision == .allow { allow += 1 }
                if response.requestError != nil { requestErrors += 1 }
                if !response.errors.isEmpty { policyErrors += 1 }
            }

            var sink = 0
            let warmupCount = max(0, warmup ?? list.count)
            for index in 0..<warmupCount {
                let response = Authorizer.isAuthorized(
                    request: list[index % list.count], policies: policySet, entities: store, schema: schemaValue)
                if response.decision == .allow { sink &+= 1 }
            }

            let clock = ContinuousClock()
            let passCount = max(1, passes)
            var samples = [Int64](repeating: 0, count: list.count * passCount)
            var slot = 0
            let wallStart = clock.now
            for _ in 0..<passCount {
                for request in list {
                    let start = clock.now
                    let response = Authorizer.isAuthorized(request: request, policies: policySet, entities: store, schema: schemaValue)
                    let elapsed = clock.now - start
                    if response.decision == .allow { sink &+= 1 }
                    samples[slot] = Self.nanoseconds(elapsed)
                    slot += 1
                }
            }
            let wall = clock.now - wallStart
            precondition(sink >= 0)

            samples.sort()
            let total = samples.reduce(Int64(0), +)
            func percentile(_ p: Double) -> Double {
                let index = min(samples.count - 1, max(0, Int((p * Double(samples.count)).rounded(.up)) - 1))
                return Double(samples[index]) / 1000
            }
            let mean = Double(total) / Double(samples.count) / 1000
            let wallSeconds = Double(Self.nanoseconds(wall)) / 1e9
            let perSecond = Double(samples.count) / wallSeconds
            let stats: [(String, Double)] = [
                ("p50_us", percentile(0.50)), ("p90_us", percentile(0.90)), ("p99_us", percentile(0.99)),
                ("mean_us", mean), ("min_us", Double(samples.first!) / 1000), ("max_us", Double(samples.last!) / 1000),
                ("decisions_per_s", perSecond),
            ]
            if json {
                // Built by hand: the statistics are fractional numbers, which JSONValue cannot make from a Double.
                var fields = ["\"requests\":\(list.count)", "\"passes\":\(passCount)", "\"decisions\":\(samples.count)"]
                for (key, value) in stats { fields.append("\"\(key)\":" + String(format: "%.3f", value)) }
                fields += [
                    "\"allow\":\(allow)", "\"deny\":\(list.count - allow)",
                    "\"request_errors\":\(requestErrors)", "\"policy_errors\":\(policyErrors)",
                ]
                CedarOutput.writeLine("{" + fields.joined(separator: ",") + "}")
            } else {
                CedarOutput.writeLine(
                    "\(list.count) requests × \(passCount) passes = \(samples.count) timed decisions (after \(warmupCount) warm-up)")
                CedarOutput.writeLine(
                    String(format: "p50 %.2f µs  p90 %.2f µs  p99 %.2f µs  mean %.2f µs  min %.2f µs  max %.2f µs",
                           stats[0].1, stats[1].1, stats[2].1, stats[3].1, stats[4].1, stats[5].1))
                CedarOutput.writeLine(String(format: "%.0f decisions/s (wall clock, including timer overhead)", perSecond))
                CedarOutput.writeLine(
                    "allow \(allow)  deny \(list.count - allow)  request errors \(requestErrors)  with policy errors \(policyErrors)")
            }
        }

        private static func nanoseconds(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }

        private func load() throws(CedarInputError) -> (PolicySet, Schema?, Entities, [Request]) {
            let policySet = try CedarInputs.policies(try CedarInputs.readFile(policies, option: "--policies"))
            let schemaValue = try schema.map { path throws(CedarInputError) in try CedarInputs.schemaFile(path) }
            let store = try CedarInputs.entities(try CedarInputs.readFile(entities, option: "--entities"), schema: schemaValue)
            let text = try CedarInputs.readFile(requests, option: "--requests")
            var list: [Request] = []
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                let where_ = "\(requests):\(offset + 1)"
                let document: JSONValue
                do {
                    document = try JSONValue.parse(trimmed)
                } catch {
                    throw CedarInputError("\(where_): not JSON: \(error)")
                }
                guard let principalJSON = document["principal"], let actionJSON = document["action"],
                      let resourceJSON = document["resource"] else {
                    throw CedarInputError("\(where_): needs principal, action and resource")
                }
                let principal = try CedarInputs.uid(principalJSON, field: "principal")
                let action = try CedarInputs.uid(actionJSON, field: "action")
                let resource = try CedarInputs.uid(resourceJSON, field: "resource")
                let contextText = document["context"].map { JSONWriter.compact($0) } ?? "{}"
                let context = try CedarInputs.context(contextText, action: action, schema: schemaValue)
                list.append(Request(principal: principal, action: action, resource: resource, context: context))
            }
            return (policySet, schemaValue, store, list)
        }
    }
}
