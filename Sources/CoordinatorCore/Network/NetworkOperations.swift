/// Catalog entries of the network-policy capability.
enum NetworkOperations {
    static let all = [check]

    static let check = CoordinatorOperation(
        "check_network", .read, route: .post("/network/check"),
        summary: "Ask whether you may reach a domain (your profile's rules and the global ones; every answer is logged).",
        input: .properties(
            .init("domain", .text, "Host name, e.g. api.github.com (international names are fine).", required: true)
        )
    ) { input, context, coordinator in
        try await coordinator.network.check(domain: try input.requiredString("domain"), context: context)
    }
}
