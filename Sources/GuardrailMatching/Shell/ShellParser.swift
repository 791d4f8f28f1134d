// Groups lexer tokens into simple commands and pipelines.
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
    /// Lexes and parses `text` into `buffers`. Never fails.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, into buffers: inout ScriptBuffers) {
        ShellLexer.lex(text, into: &buffers)
        var builder = Builder()
        swap(&builder.commands, &buffers.commands)
        builder.commands.reserveCapacity(buffers.tokens.count / 2 + 1)
        for token in buffers.tokens {
            switch token {
            case .word: builder.wordEnd += 1
            case .redirect: builder.redirectEnd += 1
            case .heredoc: builder.heredocEnd += 1
            case .op(let op): builder.apply(op)
            }
        }
        builder.finish(endsPipeline: true)
        swap(&builder.commands, &buffers.commands)
    }

    /// Tracks the pending command as ranges over the lexer's lists (no copying).
    private struct Builder {
        var commands: [SimpleCommand] = []
        var wordStart = 0, wordEnd = 0
        var redirectStart = 0, redirectEnd = 0
        var heredocStart = 0, heredocEnd = 0
        var openParens = 0

        var hasPending: Bool {
            wordEnd > wordStart || redirectEnd > redirectStart || heredocEnd > heredocStart
        }

        mutating func apply(_ op: ShellOperator) {
            switch op {
            case .pipe:
                finish(endsPipeline: false)
            case .newline:
                // A newline right after `|` continues the pipeline on the next line.
                if hasPending { finish(endsPipeline: true) }
            case .openParen:
                finish(endsPipeline: true)
                openParens += 1
            case .closeParen:
                if openParens == 0 {
                    // `pattern)` of a `case` item: the words are a pattern, not a command.
                    skipPending()
                } else {
                    openParens -= 1
                    finish(endsPipeline: true)
                }
            case .semicolon, .and, .or, .background, .caseBreak:
                finish(endsPipeline: true)
            }
        }

        mutating func skipPending() {
            wordStart = wordEnd
            redirectStart = redirectEnd
            heredocStart = heredocEnd
        }

        mutating func finish(endsPipeline: Bool) {
            if hasPending {
                commands.append(
                    SimpleCommand(
                        words: wordStart..<wordEnd, redirects: redirectStart..<redirectEnd,
                        heredocs: heredocStart..<heredocEnd, endsPipeline: endsPipeline))
                skipPending()
            } else if endsPipeline, let last = commands.indices.last, !commands[last].endsPipeline {
                commands[last].endsPipeline = true
            }
        }
    }
}
