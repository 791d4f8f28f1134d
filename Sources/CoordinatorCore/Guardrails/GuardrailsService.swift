import Foundation
import Logging
import Synchronization

/// Guardrails: finds destructive operations (force pushes, mass deletion, dropped tables, credential files,
/// deployments) in what agents are about to do, decides by the caller's trust and profile
/// (``GuardrailTrustRules``), and records every match — blocked or elevated — in `guardrail_violations` and the
/// audit trail. A blocked credential-file operation also files a pending approval (`approval_queue`).
///
/// Patterns come from `operation_guardrails` (enabled rows, cached `GUARDRAILS_CACHE_TTL`); when the table cannot
/// be read the built-in registry stands in for 30 s (`GUARDRAILS_CODE_FALLBACK`), else the check fails — closed.
public final class GuardrailsService: Sendable {
    public let database: any DatabaseClient
    public let config: GuardrailsConfig
    public let profiles: ProfilesService
    private let cache = Mutex<LoadedPatterns?>(nil)
    private let logger = Logger(label: "coordinator.guardrails")

    /// The patterns in use and where they came from.
    public struct LoadedPatterns: Sendable {
        public var matcher: GuardrailMatcher
        /// The credential patterns alone (what `acquire_lock` checks a path against).
        public var credentials: GuardrailMatcher
        /// `database` or `fallback`.
        public var source: String
        public var expires: Date
    }

    /// Characters of the checked text kept in a violation row and an approval request.
    static let operationTextLimit = 500

    public init(database: any DatabaseClient, config: GuardrailsConfig = GuardrailsConfig(), profiles: ProfilesService) {
        self.database = database
        self.config = config
        self.profiles = profiles
    }

    /// The patterns to match with now: cached, else read from the database, else (when allowed) the built-in ones.
    public func patterns(now: Date) async throws -> LoadedPatterns {
        if let cached = cache.withLock({ $0 }), cached.expires > now { return cached }
        let loaded: LoadedPatterns
        do {
            let rows = try await database.query("operation_guardrails", filter: RowFilter().equal("enabled", true).ordered(by: "name"))
            var patterns: [GuardrailPattern] = []
            var errors: [GuardrailPatternError] = []
            for row in rows {
                switch GuardrailPattern.from(row: row) {
                case .success(let pattern): patterns.append(pattern)
                case .failure(let error): errors.append(error)
                }
            }
            let matcher = GuardrailMatcher.compiled(patterns, errors: errors)
            for error in matcher.errors { logger.error("guardrail pattern left out: \(error)") }
            loaded = LoadedPatterns(matcher: matcher, credentials: matcher.only(.credential), source: "database",
                                    expires: now.addingTimeInterval(TimeInterval(config.cacheTTLSeconds)))
        } catch {
            guard config.codeFallback else { throw error }
            logger.warning("guardrail patterns unreadable; using the built-in registry", metadata: ["error": "\(error)"])
            let matcher = GuardrailMatcher.compiled(GuardrailRegistry.builtIn)
            loaded = LoadedPatterns(matcher: matcher, credentials: matcher.only(.credential), source: "fallback",
                                    expires: now.addingTimeInterval(TimeInterval(GuardrailsConfig.fallbackTTLSeconds)))
        }
        if config.cacheTTLSeconds > 0 || loaded.source == "fallback" { cache.withLock { $0 = loaded } }
        return loaded
    }

    /// Checks `subject` as `context`'s caller at its trust level and profile, and records what matched.
    /// - Parameter origin: what was checked (`check_guardrails`, `complete_work`, …), kept with the records.
    public func check(_ subject: GuardrailSubject, context: RequestContext, origin: String) async throws -> GuardrailResult {
        let now = context.clock.now()
        let loaded = try await patterns(now: now)
        let matches = loaded.matcher.matches(in: subject.lines)
        // Nothing found (the common case): only the trust level is reported, and the dispatcher already resolved it.
        guard !matches.isEmpty else { return GuardrailResult(violations: [], trustLevel: await profiles.trustLevel(context)) }
        let lookup = await profiles.lookup(context.identity, now: now)
        let trust = context.trustLevel ?? profiles.trustLevel(of: lookup)
        var result = GuardrailResult(violations: GuardrailTrustRules.violations(for: matches, trustLevel: trust, profile: lookup.profile),
                                     trustLevel: trust)
        if result.credentialBlocked { result.approvalId = await requestApproval(subject, result: result, context: context) }
        await record(subject, result: result, context: context, origin: origin)
        return result
    }

    /// Trust a caller needs to lock a credential file.
    public static let credentialLockTrust = 3

    /// `acquire_lock`'s check: whether `path` names a credential file, and if so whether the caller's trust
    /// (elevated, 3) may lock it. Matches are recorded like any other (blocked below trust 3, elevated at or above).
    public func checkLock(path: String, context: RequestContext) async throws -> GuardrailResult {
        let now = context.clock.now()
        let matches = try await patterns(now: now).credentials.matches(in: [path])
        guard !matches.isEmpty else { return GuardrailResult(violations: [], trustLevel: context.trustLevel ?? profiles.config.defaultTrustLevel) }
        let trust = await profiles.trustLevel(context)
        let mayLock = trust >= Self.credentialLockTrust
        let result = GuardrailResult(
            violations: matches.map {
                GuardrailViolation(patternName: $0.pattern.name, category: $0.pattern.category, severity: $0.pattern.severity,
                                   matchedText: $0.matchedText, blocked: !mayLock, elevated: mayLock)
            },
            trustLevel: trust)
        if !result.violations.isEmpty { await record(GuardrailSubject(filePaths: [path]), result: result, context: context, origin: "acquire_lock") }
        return result
    }

    /// Writes one `guardrail_violations` row per match and one `guardrail_violation` audit entry. Failures are
    /// logged, never raised: the decision stands either way.
    private func record(_ subject: GuardrailSubject, result: GuardrailResult, context: RequestContext, origin: String) async {
        let text = String(subject.description.unicodeScalars.prefix(Self.operationTextLimit))
        for violation in result.violations {
            do {
                _ = try await database.insert("guardrail_violations", row: [
                    "agent_id": .string(context.agentId), "agent_type": .string(context.agentType),
                    "pattern_name": .string(violation.patternName), "category": .string(violation.category.rawValue),
                    "operation_text": .string(text), "matched_text": .string(violation.matchedText),
                    "blocked": .bool(violation.blocked), "elevated": .bool(violation.elevated), "trust_level": .int(result.trustLevel),
                    "context": ["severity": .string(violation.severity.rawValue), "origin": .string(origin),
                                "file_paths": JSONValue(subject.filePaths)],
                    "created_at": context.now,
                ], returning: false)
            } catch {
                logger.error("guardrail violation not recorded", metadata: ["pattern": "\(violation.patternName)", "error": "\(error)"])
            }
        }
        await context.record("guardrail_violation",
                             parameters: ["operation_text": .string(String(text.prefix(200))), "origin": .string(origin)],
                             result: .object(["safe": .bool(result.safe), "violation_count": .int(result.violations.count),
                                              "blocked": JSONValue(result.blockedPatterns),
                                              "elevated": JSONValue(result.violations.filter(\.elevated).map(\.patternName))]),
                             success: result.safe, errorMessage: result.refusal)
    }

    /// Files (or finds) the pending approval of a blocked credential-file operation.
    private func requestApproval(_ subject: GuardrailSubject, result: GuardrailResult, context: RequestContext) async -> String? {
        do {
            let answer = try await database.rpc("queue_guardrail_approval", [
                "p_agent_id": .string(context.agentId), "p_operation_text": .string(subject.description),
                "p_reason": .string("credential_file_protected: " + result.blockedPatterns.joined(separator: ", ")),
                "p_file_paths": JSONValue(subject.filePaths), "p_session_id": JSONValue(context.sessionId), "p_now": context.now,
            ])
            return answer["approval_id"]?.stringValue
        } catch {
            logger.error("approval request not filed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
