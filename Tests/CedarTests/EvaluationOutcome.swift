import Cedar

/// "ok" when `body` succeeds, else the error's message: lets a table of cases compare outcomes as text.
func evaluationOutcome(_ body: () throws(EvaluationError) -> Void) -> String {
    do {
        try body()
        return "ok"
    } catch {
        return error.description
    }
}
