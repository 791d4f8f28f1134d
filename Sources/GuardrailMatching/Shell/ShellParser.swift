// Simple commands and pipelines, as the lexer groups them.
//
// Compound syntax is flattened: subshells, groups, `if`/`while`/`for`/`case` bodies are just more simple commands
// (the reserved words that open them are stripped later, as command prefixes). Only what the normaliser needs is
// kept: each command's words, redirections and here-documents, and whether its output is piped into the next one.

/// One simple command: ranges into the parsed script's word, redirection and here-document lists.
struct SimpleCommand: Sendable {
    var words: Range<Int>
    var redirects: Range<Int>
    var heredocs: Range<Int>
    /// False when the command's output is piped (`|`, `|&`) into the next command.
    var endsPipeline: Bool
}

/// The bytes a parsed script's words point into, borrowed while the script is normalised.
struct ShellSource {
    let arena: UnsafeBufferPointer<UInt8>
    let substitutions: UnsafeBufferPointer<ByteSpan>
}

/// A command's words, borrowed from the parsed script (or from a temporary array).
typealias Argv = UnsafeBufferPointer<ShellWord>

/// A command's redirections, borrowed from the parsed script.
typealias Redirects = UnsafeBufferPointer<ShellRedirect>

enum ShellScriptParser {
    /// Lexes and parses `text` into `buffers` (the lexer groups its words into simple commands as it goes). Never
    /// fails.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, into buffers: inout ScriptBuffers) {
        ShellLexer.lex(text, into: &buffers)
    }
}
