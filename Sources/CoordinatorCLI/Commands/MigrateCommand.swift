import ArgumentParser
import CoordinatorCore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending schema migrations (also done automatically at start).")
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CommandEnvironment.run(identity: identity, output: output, migrate: false) { env in
            guard let migrating = env.coordinator.database as? any SchemaMigrating else {
                throw CommandEnvironment.report(
                    "the \(env.coordinator.database.backendName) backend is migrated by applying database/migrations/*.sql to the PostgreSQL behind it",
                    reason: "not_supported", output: output, status: .usage)
            }
            let report = try await migrating.migrate()
            try env.emit(report.json) { _ in
                report.applied.isEmpty
                    ? "schema up to date (\(report.alreadyApplied) migration(s) applied earlier)"
                    : "applied \(report.applied.joined(separator: ", "))"
            }
        }
    }
}
