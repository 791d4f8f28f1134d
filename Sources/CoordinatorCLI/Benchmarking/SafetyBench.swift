import CoordinatorCore
import Foundation

/// The safety layer's cost: `check_guardrails` latency on a 2,000-character command (against a plain case-insensitive
/// NSRegularExpression scan of the raw text with the same patterns, measured in the same run), and what the profile
/// check adds to a lock cycle through the dispatcher (PermissivePolicy against ProfilePolicy, alternating rounds).
struct SafetyBenchResult: Sendable {
    let commandLength: Int
    let iterations: Int
    let check: [Double]
    /// The two halves of a check: parsing the command into canonical lines, and searching them.
    let normalise: [Double]
    let match: [Double]
    let regexBaseline: [Double]
    let permissive: [BenchSummary]
    let profiled: [BenchSummary]

    static func micro(_ seconds: Double) -> Double { (seconds * 1e7).rounded() / 10 }

    var permissiveRate: Double { permissive.map(\.perSecond).reduce(0, +) / Double(max(permissive.count, 1)) }
    var profiledRate: Double { profiled.map(\.perSecond).reduce(0, +) / Double(max(profiled.count, 1)) }
    /// How much slower a lock cycle is with the profile check, in percent.
    var overheadPercent: Double { profiledRate > 0 ? (permissiveRate / profiledRate - 1) * 100 : 0 }

    var json: JSONValue {
        [
            "name": "safety", "command_length": .int(commandLength), "iterations": .int(iterations),
            "check_guardrails_us_p50": .double(Self.micro(BenchSummary.quantile(0.5, of: check))),
            "check_guardrails_us_p99": .double(Self.micro(BenchSummary.quantile(0.99, of: check))),
            "normalise_us_p50": .double(Self.micro(BenchSummary.quantile(0.5, of: normalise))),
            "match_us_p50": .double(Self.micro(BenchSummary.quantile(0.5, of: match))),
            "nsregex_raw_us_p50": .double(Self.micro(BenchSummary.quantile(0.5, of: regexBaseline))),
            "nsregex_raw_us_p99": .double(Self.micro(BenchSummary.quantile(0.99, of: regexBaseline))),
            "lock_cycles_per_second_permissive": .double(permissiveRate.rounded()),
            "lock_cycles_per_second_profile_check": .double(profiledRate.rounded()),
            "profile_check_overhead_percent": .double((overheadPercent * 10).rounded() / 10),
            "connections": .int(permissive.first?.connections ?? 0),
        ]
    }

    var lines: [String] {
        [
            String(format: "check_guardrails on a %d-character command: p50 %.1f µs, p99 %.1f µs (%d calls; of which normalising "
                    + "p50 %.1f µs, matching p50 %.1f µs); NSRegularExpression scan of the raw text with the same patterns: "
                    + "p50 %.1f µs, p99 %.1f µs (ratio %.2f)",
                   commandLength, Self.micro(BenchSummary.quantile(0.5, of: check)), Self.micro(BenchSummary.quantile(0.99, of: check)),
                   iterations, Self.micro(BenchSummary.quantile(0.5, of: normalise)), Self.micro(BenchSummary.quantile(0.5, of: match)), Self.micro(BenchSummary.quantile(0.5, of: regexBaseline)),
                   Self.micro(BenchSummary.quantile(0.99, of: regexBaseline)),
                   BenchSummary.quantile(0.5, of: check) / max(BenchSummary.quantile(0.5, of: regexBaseline), 1e-12)),
            String(format: "profile check × %d: lock cycles %.0f/s without it, %.0f/s with it (overhead %.1f%%)",
                   permissive.first?.connections ?? 0, permissiveRate, profiledRate, overheadPercent),
        ]
    }

    /// A realistic 2,000-character command line: a build-and-test script with pipes, quoting and chains, nothing
    /// destructive (the common case: every check of a safe command).
    static func command(length: Int = 2000) -> String {
        let pieces = [
            #"cd "$REPO/packages/core" && swift build -c release --product coordinator 2>&1 | tee build.log"#,
            #"grep -n "warning:" build.log | sort | uniq -c | sort -rn | head -20"#,
            #"FOO=bar env LC_ALL=C python3 -m pytest -q tests/ -k 'not slow' --maxfail=1"#,
            #"git status --porcelain && git diff --stat HEAD~1 -- Sources/ | tail -5"#,
            #"find . -name '*.swift' -newer build.log -print | xargs wc -l | sort -n | tail -3"#,
            #"docker build -t coordinator:dev . && docker run --rm coordinator:dev coordinator --help"#,
        ]
        var text = ""
        var index = 0
        while text.utf8.count < length {
            text += (text.isEmpty ? "" : " && ") + pieces[index % pieces.count]
            index += 1
        }
        return String(decoding: text.utf8.prefix(length), as: UTF8.self)
    }
}

extension BenchRunner {
    func safety(connections: Int, seconds: Double, iterations: Int) async throws -> SafetyBenchResult {
        let command = SafetyBenchResult.command()
        let context = RequestContext(identity: AgentIdentity(agentId: "bench-\(runId)-guard", agentType: "bench"))
        let subject = GuardrailSubject(text: command)
        let warm = try await coordinator.guardrails.check(subject, context: context, origin: "bench")
        guard warm.safe else { throw BenchFailure(message: "the benchmark command was flagged: \(warm.json.jsonText)") }
        var check: [Double] = []
        check.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let started = ContinuousClock.now
            _ = try await coordinator.guardrails.check(subject, context: context, origin: "bench")
            check.append(Self.seconds(started.duration(to: .now)))
        }
        var normalise: [Double] = []
        var match: [Double] = []
        let matcher = try await coordinator.guardrails.patterns(now: context.clock.now()).matcher
        var lines: [String] = []
        for _ in 0..<iterations {
            let started = ContinuousClock.now
            lines = subject.lines
            let normalised = ContinuousClock.now
            _ = matcher.matches(in: lines)
            let matched = ContinuousClock.now
            normalise.append(Self.seconds(started.duration(to: normalised)))
            match.append(Self.seconds(normalised.duration(to: matched)))
        }
        let expressions = try GuardrailRegistry.builtIn.map {
            try NSRegularExpression(pattern: $0.pattern, options: [.caseInsensitive, .dotMatchesLineSeparators])
        }
        var baseline: [Double] = []
        baseline.reserveCapacity(iterations)
        let range = NSRange(location: 0, length: command.utf16.count)
        var found = 0
        for _ in 0..<iterations {
            let started = ContinuousClock.now
            for expression in expressions where expression.firstMatch(in: command, range: range) != nil { found += 1 }
            baseline.append(Self.seconds(started.duration(to: .now)))
        }

        // Lock cycles as agents with a bench profile (trust 3, every operation allowed, no limits), so the profile
        // check runs its whole path; alternating rounds even out drift.
        let profile = try await coordinator.database.insert("agent_profiles", row: [
            "name": .string("bench-\(runId)"), "agent_type": "bench", "trust_level": 3,
            "allowed_operations": JSONValue(OperationCatalog.standard.operations.map(\.name)),
            "max_file_modifications": nil, "max_execution_time_seconds": nil, "max_api_calls_per_hour": nil,
        ])
        guard let profileId = profile?["id"] else { throw BenchFailure(message: "could not create the bench profile") }
        for worker in 0..<connections {
            try await coordinator.database.insert("agent_profile_assignments", row: [
                "agent_id": .string(self.context(worker).agentId), "profile_id": profileId,
            ])
        }
        let agents = (0..<connections).map { JSONValue.string(self.context($0).agentId) }
        func removeProfile() async {
            _ = try? await coordinator.database.delete("agent_profile_assignments", filter: RowFilter().among("agent_id", agents))
            _ = try? await coordinator.database.delete("agent_profiles", filter: RowFilter().equal("id", profileId))
        }
        let permissive = OperationDispatcher(coordinator: coordinator, policy: PermissivePolicy())
        let profiled = OperationDispatcher(coordinator: coordinator, policy: ProfilePolicy(coordinator.profiles))
        var without: [BenchSummary] = []
        var with: [BenchSummary] = []
        do {
            for round in 0..<4 {
                let (dispatcher, label) = round % 2 == 0 ? (permissive, "permissive") : (profiled, "profile")
                let summary = try await dispatcherLockCycles(dispatcher, name: "safety_\(label)", connections: connections,
                                                             seconds: seconds / 2)
                if round % 2 == 0 { without.append(summary) } else { with.append(summary) }
            }
        } catch {
            await removeProfile()
            throw error
        }
        await removeProfile()
        return SafetyBenchResult(commandLength: command.utf8.count, iterations: iterations, check: check, normalise: normalise, match: match,
                                 regexBaseline: baseline,
                                 permissive: without, profiled: with)
    }
}
