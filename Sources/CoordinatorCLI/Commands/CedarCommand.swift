import ArgumentParser

/// `coordinator cedar`: the standalone Cedar engine, shaped like the official `cedar` CLI.
struct CedarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cedar",
        abstract: "Evaluate, validate and format Cedar policies with the built-in Cedar engine (no database).",
        discussion: """
            Mirrors the official `cedar` CLI. Policy ids are positional (policy0, policy1, …), as in Cedar.
            Exit status (differs from the other commands, as in the official CLI):
              authorize  0 ALLOW, 2 DENY, 1 input error (unreadable file, bad policy/schema/entity/context syntax, \
            request not valid for the schema)
              validate   0 passed, 3 validation errors, 1 input error
              format     0 ok, 1 parse error or (with --check) not formatted
              batch      0 at end of input (errors are reported per line)
            2 is also what a command-line usage error (unknown or missing option) exits with; with --json a decision \
            is always printed on stdout, a usage error never is.
            """,
        subcommands: [Authorize.self, Validate.self, Format.self, Batch.self, Bench.self]
    )
}
