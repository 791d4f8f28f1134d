/// Catalog entries of the profiles capability.
enum ProfileOperations {
    static let all = [myProfile]

    static let myProfile = CoordinatorOperation(
        "get_my_profile", .read, route: .get("/profiles/me"),
        summary: "Your profile: trust level, allowed and blocked operations, elevated guardrail matches and resource limits.",
        input: .properties()
    ) { _, context, coordinator in
        await coordinator.profiles.myProfile(context: context)
    }
}
