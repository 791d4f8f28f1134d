import CoordinatorCore
import Foundation
import MCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Value {
    /// The MCP SDK value for a coordinator JSON value. Strings stay strings (the SDK encodes `.string` verbatim),
    /// and non-finite doubles, which JSON cannot carry, become `null`.
    public init(jsonValue: JSONValue) {
        switch jsonValue {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = value.isFinite ? .double(value) : .null
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(Value.init(jsonValue:)))
        case .object(let members): self = .object(members.mapValues(Value.init(jsonValue:)))
        }
    }
}

extension JSONValue {
    /// The coordinator JSON value for an MCP SDK value.
    ///
    /// The SDK decodes every string that looks like a data URL into `Value.data`; such values come back as the
    /// data-URL string. The exact original text survives when the message went through
    /// ``DataURLStrings/protectIncoming(_:)`` first (both of our transports do that); otherwise the data URL is
    /// re-encoded in the SDK's canonical `data:<mime>;base64,<payload>` form.
    public init(mcpValue: MCP.Value) {
        switch mcpValue {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(DataURLStrings.unmark(value))
        case .data(let mimeType, let data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let values): self = .array(values.map { JSONValue(mcpValue: $0) })
        case .object(let members): self = .object(members.mapValues { JSONValue(mcpValue: $0) })
        }
    }
}

/// Keeps strings that look like data URLs (`data:,hello`) exactly as written, in both directions.
///
/// The SDK's `Value` decoder turns every such string into `Value.data`, which it later writes back in its own
/// `data:<mime>;base64,<payload>` form. That happens to tool arguments before any handler runs, and to every
/// result, which the SDK re-decodes into a `Value` before sending it. So:
///
/// * transports pass incoming messages through ``protectIncoming(_:)``, which prefixes such strings inside
///   `tools/call` arguments with a marker (U+FDD0, a Unicode noncharacter) so the SDK keeps them as plain
///   strings; ``JSONValue/init(mcpValue:)`` removes the marker;
/// * tool results are built with the same marker on such strings, and transports pass outgoing messages
///   through ``restoreOutgoing(_:)``, which removes it.
///
/// A string that really starts with the marker gets a second one, so the round trip is exact for every string.
/// ``BlockingStdioTransport`` and ``MCPHTTPSessions`` do both steps; with another transport, data-URL strings in
/// arguments arrive re-encoded and result strings keep the marker.
public enum DataURLStrings {
    static let marker = Unicode.Scalar(UInt32(0xFDD0))!
    private static let markerText = String(Character(marker))
    private static let markerBytes = Data(markerText.utf8)
    private static let dataURLPrefix = Data("data:".utf8)
    private static let unicodeEscape = Data(#"\u"#.utf8)
    private static let sseDataPrefix = Data("data: ".utf8)

    // MARK: Incoming

    /// The message with data-URL-like strings in `tools/call` arguments marked; usually the very same bytes.
    public static func protectIncoming(_ message: Data) -> Data {
        // Fast path: nothing to do unless the text can contain a data URL or the marker (literally or escaped).
        guard message.contains(bytes: dataURLPrefix) || message.contains(bytes: unicodeEscape)
            || message.contains(bytes: markerBytes)
        else { return message }
        guard let parsed = try? JSONValue(jsonData: message) else { return message }
        var changed = false
        let rewritten: JSONValue
        switch parsed {
        case .array(let items): rewritten = .array(items.map { protectRequest($0, changed: &changed) })
        default: rewritten = protectRequest(parsed, changed: &changed)
        }
        guard changed, let data = try? JSONEncoder().encode(rewritten) else { return message }
        return data
    }

    private static func protectRequest(_ message: JSONValue, changed: inout Bool) -> JSONValue {
        guard case .object(var members) = message, members["method"] == "tools/call",
            case .object(var params) = members["params"], let arguments = params["arguments"]
        else { return message }
        params["arguments"] = mark(arguments, changed: &changed)
        members["params"] = .object(params)
        return .object(members)
    }

    // MARK: Outgoing

    /// `value` with its data-URL-like strings marked, for results the SDK will re-decode.
    public static func mark(_ value: JSONValue) -> JSONValue {
        var changed = false
        return mark(value, changed: &changed)
    }

    private static func mark(_ value: JSONValue, changed: inout Bool) -> JSONValue {
        switch value {
        case .string(let text) where needsMark(text):
            changed = true
            return .string(markerText + text)
        case .array(let values): return .array(values.map { mark($0, changed: &changed) })
        case .object(let members): return .object(members.mapValues { mark($0, changed: &changed) })
        default: return value
        }
    }

    private static func needsMark(_ text: String) -> Bool {
        let first = text.unicodeScalars.first
        if first == marker { return true }
        return first == "d" && text.hasPrefix("data:") && Data.isDataURL(string: text)
    }

    /// The message with the marks of ``mark(_:)`` removed; usually the very same bytes.
    public static func restoreOutgoing(_ message: Data) -> Data {
        guard message.contains(bytes: markerBytes), let parsed = try? JSONValue(jsonData: message) else { return message }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(unmarkAll(parsed))) ?? message
    }

    /// A chunk of a server-sent-events stream with the marks removed from its `data:` lines.
    public static func restoreOutgoingEvents(_ chunk: Data) -> Data {
        guard chunk.contains(bytes: markerBytes) else { return chunk }
        let lines = chunk.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> Data in
            guard line.starts(with: sseDataPrefix) else { return Data(line) }
            return sseDataPrefix + restoreOutgoing(Data(line.dropFirst(sseDataPrefix.count)))
        }
        return Data(lines.joined(separator: [0x0A]))
    }

    private static func unmarkAll(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(unmark(text))
        case .array(let values): return .array(values.map(unmarkAll))
        case .object(let members): return .object(members.mapValues(unmarkAll))
        default: return value
        }
    }

    /// The original of a marked string (strings without the marker are returned unchanged).
    static func unmark(_ text: String) -> String {
        text.unicodeScalars.first == marker ? String(text.unicodeScalars.dropFirst()) : text
    }
}

extension Data {
    /// Whether `needle` occurs in these bytes (`memchr` + `memcmp`; much faster than `range(of:)` on Linux).
    func contains(bytes needle: Data) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= count else { return false }
        return withUnsafeBytes { haystack in
            needle.withUnsafeBytes { pattern in
                guard let start = haystack.baseAddress, let wanted = pattern.baseAddress else { return false }
                let first = Int32(pattern[0])
                let lastStart = haystack.count - pattern.count
                var offset = 0
                while offset <= lastStart {
                    guard let found = memchr(start + offset, first, lastStart - offset + 1) else { return false }
                    if memcmp(found, wanted, pattern.count) == 0 { return true }
                    offset = start.distance(to: UnsafeRawPointer(found)) + 1
                }
                return false
            }
        }
    }
}
