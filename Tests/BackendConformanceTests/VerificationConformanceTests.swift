import CoordinatorCore
import Foundation
import Testing

extension TestDatabase {
    /// The test clock's time as a `p_now` argument.
    var pNow: JSONValue { .string(Timestamp.format(clock.now())) }

    /// The test clock's time plus `seconds`, as a timestamp column value.
    func timestamp(after seconds: TimeInterval = 0) -> JSONValue {
        .string(Timestamp.format(clock.now().addingTimeInterval(seconds)))
    }
}

@Suite("Verification approvals behave the same on every backend")
struct VerificationConformanceTests {
    /// A changeset by `agent` and `count` approval requests for it, created `spacing` seconds apart in the order
    /// given by `offsets`; returns the changeset id and the approval ids in `offsets` order.
    func changesetAwaitingApproval(_ db: TestDatabase, agent: String = "alice", offsets: [TimeInterval]) async throws
        -> (changeset: String, approvals: [String])
    {
        let changeset = try #require(try await db.client.insert(
            "changesets",
            row: ["agent_id": .string(agent), "description": "rename parser", "changed_files": ["Sources/Parser.swift"],
                  "branch_name": "agent/alice/1", "created_at": db.timestamp(), "updated_at": db.timestamp()]))
        let changesetId = try #require(changeset["id"]?.stringValue)
        #expect(changeset["status"] == "pending", "a changeset starts pending")
        var approvals: [String] = []
        for offset in offsets {
            let approval = try #require(try await db.client.insert(
                "approval_queue",
                row: ["changeset_id": .string(changesetId), "requested_by": "gateway", "reason": "touches credentials",
                      "created_at": db.timestamp(after: offset)]))
            approvals.append(try #require(approval["id"]?.stringValue))
        }
        return (changesetId, approvals)
    }

    @Test(arguments: TestBackend.available)
    func pendingApprovalsOldestFirst(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            #expect(try await db.client.rpc("get_pending_approvals", [:]) == ["approvals": []])
            let (changeset, ids) = try await changesetAwaitingApproval(db, offsets: [-60, -180, -120, -120])
            let listed = try #require(try await db.client.rpc("get_pending_approvals", [:])["approvals"]?.arrayValue)
            #expect(listed.map { $0["id"]?.stringValue } == [ids[1], ids[2], ids[3], ids[0]],
                    "oldest first; requests made at the same instant in insertion order")
            let first = listed[0]
            #expect(first["changeset_id"] == .string(changeset))
            #expect(first["agent_id"] == "alice")
            #expect(first["description"] == "rename parser")
            #expect(first["changed_files"] == ["Sources/Parser.swift"])
            #expect(first["requested_by"] == "gateway")
            #expect(first["reason"] == "touches credentials")
            #expect(first["status"] == "pending")
            #expect(first["created_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now().addingTimeInterval(-180))

            _ = try await db.client.rpc("approve_changeset", ["p_approval_id": .string(ids[1]), "p_reviewer": "bob",
                                                              "p_approved": true, "p_now": db.pNow])
            let remaining = try #require(try await db.client.rpc("get_pending_approvals", [:])["approvals"]?.arrayValue)
            #expect(remaining.map { $0["id"]?.stringValue } == [ids[2], ids[3], ids[0]], "a decided approval leaves the list")
        }
    }

    @Test(arguments: TestBackend.available)
    func approvalIsDecidedOnce(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let (changeset, ids) = try await changesetAwaitingApproval(db, offsets: [0, 1])
            db.clock.advance(minutes: 5)
            let approved = try await db.client.rpc(
                "approve_changeset",
                ["p_approval_id": .string(ids[0]), "p_reviewer": "bob", "p_approved": true, "p_notes": "looks right",
                 "p_now": db.pNow])
            #expect(approved["success"] == true)
            #expect(approved["changeset_id"] == .string(changeset))
            #expect(approved["approval_id"] == .string(ids[0]))
            #expect(approved["status"] == "approved")

            let row = try #require(try await db.client.query("approval_queue", filter: RowFilter().equal("id", .string(ids[0])), select: nil).first)
            #expect(row["status"] == "approved")
            #expect(row["reviewed_by"] == "bob")
            #expect(row["review_notes"] == "looks right")
            #expect(row["reviewed_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now())
            let changesetRow = try #require(try await db.client.query("changesets", filter: RowFilter().equal("id", .string(changeset)), select: nil).first)
            #expect(changesetRow["status"] == "approved")
            #expect(changesetRow["updated_at"]?.stringValue.flatMap(Timestamp.parse) == db.clock.now())

            // A second review of the same request is refused and changes nothing, whatever it decides.
            db.clock.advance(minutes: 1)
            let again = try await db.client.rpc(
                "approve_changeset", ["p_approval_id": .string(ids[0]), "p_reviewer": "carol", "p_approved": false, "p_now": db.pNow])
            #expect(again["success"] == false)
            #expect(again["reason"] == "approval_not_found_or_already_reviewed")
            let unchanged = try #require(try await db.client.query("approval_queue", filter: RowFilter().equal("id", .string(ids[0])), select: nil).first)
            #expect(unchanged["reviewed_by"] == "bob")
            #expect(unchanged["status"] == "approved")

            // The other request denies: the changeset becomes rejected.
            let denied = try await db.client.rpc(
                "approve_changeset", ["p_approval_id": .string(ids[1]), "p_reviewer": "carol", "p_approved": false, "p_now": db.pNow])
            #expect(denied["status"] == "denied")
            let rejected = try #require(try await db.client.query("changesets", filter: RowFilter().equal("id", .string(changeset)), select: nil).first)
            #expect(rejected["status"] == "rejected")

            let unknown = try await db.client.rpc(
                "approve_changeset",
                ["p_approval_id": .string(UUID().uuidString.lowercased()), "p_reviewer": "bob", "p_approved": true, "p_now": db.pNow])
            #expect(unknown["reason"] == "approval_not_found_or_already_reviewed")
        }
    }

    @Test(arguments: TestBackend.available)
    func badReviewChangesNothing(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let (_, ids) = try await changesetAwaitingApproval(db, offsets: [0])
            let blank = try await db.client.rpc(
                "approve_changeset", ["p_approval_id": .string(ids[0]), "p_reviewer": "  ", "p_approved": true, "p_now": db.pNow])
            #expect(blank == ["success": false, "reason": "invalid_reviewer"])
            let undecided = try await db.client.rpc(
                "approve_changeset", ["p_approval_id": .string(ids[0]), "p_reviewer": "bob", "p_approved": nil, "p_now": db.pNow])
            #expect(undecided == ["success": false, "reason": "invalid_decision"])
            await #expect(throws: DatabaseError.self) {
                try await db.client.rpc("approve_changeset", ["p_approval_id": "not-a-uuid", "p_reviewer": "bob", "p_approved": true])
            }
            let listed = try #require(try await db.client.rpc("get_pending_approvals", [:])["approvals"]?.arrayValue)
            #expect(listed.count == 1, "the request is still pending")
        }
    }

    @Test(arguments: TestBackend.available)
    func reportingViewsCountChecks(_ backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { db in
            let (changeset, _) = try await changesetAwaitingApproval(db, offsets: [])
            for (tier, executor, status, duration) in [("UNIT", "github", "success", 100), ("STATIC", "inline", "failure", 50),
                                                       ("UNIT", "github", "running", 300)] {
                _ = try await db.client.insert(
                    "verification_results",
                    row: ["changeset_id": .string(changeset), "tier": .string(tier), "executor": .string(executor),
                          "status": .string(status), "duration_ms": .int(duration), "created_at": db.timestamp()],
                    returning: false)
            }
            let status = try #require(try await db.client.query("changeset_status").first)
            #expect(status["changeset_id"] == .string(changeset))
            #expect(status["changeset_status"] == "pending")
            #expect(status["total_checks"]?.intValue == 3)
            #expect(status["passed"]?.intValue == 1)
            #expect(status["failed"]?.intValue == 1)
            #expect(status["pending_checks"]?.intValue == 1)

            let performance = try #require(try await db.client.query("agent_performance").first)
            #expect(performance["agent_id"] == "alice")
            #expect(performance["total_changesets"]?.intValue == 1)
            #expect(performance["checks_passed"]?.intValue == 1)
            #expect(performance["checks_failed"]?.intValue == 1)
            #expect(number(performance["success_rate"]) == 33.33)
            #expect(number(performance["avg_check_duration_ms"]) == 150)

            let metrics = try await db.client.query("tier_metrics", filter: RowFilter().equal("tier", "UNIT"), select: nil)
            #expect(metrics.count == 1)
            #expect(metrics.first?["total_runs"]?.intValue == 2)
            #expect(metrics.first?["successes"]?.intValue == 1)
            #expect(metrics.first?["max_duration_ms"]?.intValue == 300)

            await #expect(throws: DatabaseError.self, "tiers are an enum (a CHECK on SQLite)") {
                try await db.client.insert(
                    "verification_results",
                    row: ["changeset_id": .string(changeset), "tier": "NIGHTLY", "executor": "inline"], returning: false)
            }
        }
    }

    /// A numeric column as a number, whether the backend sends it as a JSON number or as numeric text.
    func number(_ value: JSONValue?) -> Double? {
        value?.doubleValue ?? value?.stringValue.flatMap(Double.init)
    }
}
