// GuardrailMatching: how the coordinator recognises destructive operations in text.
//
// `CommandNormalizer` (Shell/) parses shell text — and prose, SQL or JSON that carries commands — into canonical
// command lines, undoing the spellings that hide a command from a plain pattern (flag bundling, wrappers such as
// `sudo` or `bash -c`, quoting, chains). `LinearRegex` and `LinearRegexSet` (Regex/) then search those lines with
// the guardrail patterns in time linear in the text, whatever the pattern. Standalone: no coordinator imports.
