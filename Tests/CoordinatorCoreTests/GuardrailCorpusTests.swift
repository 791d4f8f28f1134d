import CoordinatorCore
import Foundation
import Testing

/// The guardrails corpus (Tests/Fixtures/guardrails, written for this project without looking at the matcher):
/// destructive commands must be blocked for a standard agent (trust 2, nothing elevated), benign look-alikes allowed
/// at their trust level (2, or 3 with every non-credential match elevated, as claude-code-cli). The built-in registry
/// is what the database seeds (BackendConformanceTests checks that), so this measures the coordinator's matching.
@Suite("Guardrails corpus: block rate and false positives")
struct GuardrailCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/guardrails")
    static let matcher = GuardrailMatcher.compiled(GuardrailRegistry.builtIn)
    static let standard = AgentProfile(name: "standard", agentType: "codex", trustLevel: 2)
    static let elevated = AgentProfile(name: "elevated", agentType: "claude_code", trustLevel: 3, elevatedOperations: ["*"])

    static func load(_ name: String) throws -> [JSONObject] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONValue(jsonText: String(line)).objectValue else { throw InputError(field: name, "not an object") }
            return object
        }
    }

    static func safe(_ text: String, trust: Int) -> Bool {
        let profile = trust >= 3 ? elevated : standard
        let matches = matcher.matches(in: GuardrailSubject(text: text).lines)
        return !GuardrailTrustRules.violations(for: matches, trustLevel: trust, profile: profile).contains(where: \.blocked)
    }

    @Test func destructiveCommandsAreBlocked() throws {
        let entries = try Self.load("destructive.jsonl")
        #expect(entries.count >= 300)
        let missed = entries.filter { Self.safe($0["text"]?.stringValue ?? "", trust: 2) }
        let rate = Double(entries.count - missed.count) / Double(entries.count)
        print("guardrails corpus: \(entries.count - missed.count)/\(entries.count) destructive blocked (\(String(format: "%.2f", rate * 100))%)")
        for entry in missed { print("  missed [\(entry["kind"]?.stringValue ?? "?")/\(entry["evasion"]?.stringValue ?? "?")]: \(entry["text"]?.jsonText ?? "")") }
        #expect(rate >= 0.99, "block rate \(rate)")
    }

    @Test func benignLookAlikesPass() throws {
        let entries = try Self.load("benign.jsonl")
        #expect(entries.count >= 300)
        let flagged = entries.filter { !Self.safe($0["text"]?.stringValue ?? "", trust: $0["trust"]?.intValue ?? 2) }
        let rate = Double(flagged.count) / Double(entries.count)
        print("guardrails corpus: \(flagged.count)/\(entries.count) benign flagged (\(String(format: "%.2f", rate * 100))%)")
        for entry in flagged { print("  flagged [\(entry["kind"]?.stringValue ?? "?")]: \(entry["text"]?.jsonText ?? "")") }
        #expect(rate <= 0.01, "false-positive rate \(rate)")
    }
}
