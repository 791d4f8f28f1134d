import Foundation
import Logging
import MCP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Newline-delimited JSON-RPC over a pair of file descriptors (stdin/stdout by default), without polling.
///
/// The SDK's `StdioTransport` makes both descriptors non-blocking and sleeps 10 ms whenever stdin is empty, which
/// adds about 10 ms to every request. This transport instead does blocking `read(2)` calls on a dedicated
/// thread that feeds an `AsyncThrowingStream`, and blocking `write(2)` calls (retrying partial writes and
/// `EINTR`) for responses. The descriptors' flags are never changed.
///
/// End of input finishes the stream once every request already read has been answered (or after
/// `drainTimeout`), so a client that writes its requests and closes stdin still receives all responses; the
/// server's `waitUntilCompleted()` then returns. Messages pass through ``DataURLStrings`` (incoming and
/// outgoing), so strings that look like data URLs keep their exact spelling.
public actor BlockingStdioTransport: Transport {
    public nonisolated let logger: Logger

    private let input: Int32
    private let output: Int32
    private let drainTimeout: Duration
    private let stream: AsyncThrowingStream<Data, any Error>
    private let ledger: RequestLedger
    private let shortcut: ToolCallShortcut?
    private var connected = false

    /// - Parameters:
    ///   - input: Descriptor to read messages from (default standard input).
    ///   - output: Descriptor to write messages to (default standard output).
    ///   - drainTimeout: The longest wait, after end of input, for answers to requests already read.
    ///   - logger: Where transport problems are logged (default label `coordinator.mcp.stdio`).
    public init(input: Int32 = 0, output: Int32 = 1, drainTimeout: Duration = .seconds(10), logger: Logger? = nil) {
        self.init(input: input, output: output, drainTimeout: drainTimeout, logger: logger, shortcut: nil)
    }

    /// A transport that answers the requests `shortcut` takes itself, and hands everything else to the server.
    init(input: Int32, output: Int32, drainTimeout: Duration = .seconds(10), logger: Logger?, shortcut: ToolCallShortcut?) {
        self.input = input
        self.output = output
        self.drainTimeout = drainTimeout
        self.logger = logger ?? Logger(label: "coordinator.mcp.stdio")
        self.shortcut = shortcut
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        self.stream = stream
        self.ledger = RequestLedger(continuation)
    }

    public func connect() async throws {
        guard !connected else { return }
        connected = true
        let (input, ledger, logger, drainTimeout, shortcut) = (input, ledger, logger, drainTimeout, shortcut)
        let reader = Thread { [self] in
            Self.readLines(from: input, logger: logger) { line in
                guard !line.isEmpty else { return }
                if let shortcut, let (id, respond) = shortcut.answer(line) {
                    ledger.opened(id)
                    Task { await self.answer(await respond(), to: id) }
                } else {
                    ledger.received(DataURLStrings.protectIncoming(line))
                }
            }
            if ledger.inputEnded() {
                Task {
                    try? await Task.sleep(for: drainTimeout)
                    ledger.finish()
                }
            }
        }
        reader.name = "coordinator-mcp-stdin"
        reader.start()
    }

    /// Stops delivering messages (the reader thread ends at the next end of input).
    public func disconnect() async {
        ledger.finish()
    }

    public func send(_ data: Data) async throws {
        var frame = DataURLStrings.restoreOutgoing(data)
        frame.append(0x0A)
        try Self.writeAll(frame, to: output)
        ledger.sent(data)
    }

    public func receive() -> AsyncThrowingStream<Data, any Error> {
        stream
    }

    /// Writes a response produced by the shortcut.
    private func answer(_ response: Data, to id: ID) {
        var frame = DataURLStrings.restoreOutgoing(response)
        frame.append(0x0A)
        do {
            try Self.writeAll(frame, to: output)
        } catch {
            logger.error("\(error)")
        }
        ledger.answered(id)
    }

    // MARK: - Reading

    /// Reads until end of input, delivering each non-blank line (without surrounding whitespace) as one message.
    private static func readLines(from descriptor: Int32, logger: Logger, deliver: (Data) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var partial: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                logger.error("reading MCP input failed: \(String(cString: strerror(code)))")
                break
            }
            var lineStart = 0
            while let newline = buffer[lineStart..<count].firstIndex(of: 0x0A) {
                if partial.isEmpty {
                    deliver(trimmed(buffer[lineStart..<newline]))
                } else {
                    partial.append(contentsOf: buffer[lineStart..<newline])
                    deliver(trimmed(partial[...]))
                    partial.removeAll(keepingCapacity: true)
                }
                lineStart = newline + 1
            }
            partial.append(contentsOf: buffer[lineStart..<count])
        }
        if !partial.isEmpty { deliver(trimmed(partial[...])) }
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> Data {
        var end = line.endIndex
        while end > line.startIndex, isWhitespace(line[end - 1]) { end -= 1 }
        var start = line.startIndex
        while start < end, isWhitespace(line[start]) { start += 1 }
        return Data(line[start..<end])
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    // MARK: - Writing

    private static func writeAll(_ data: Data, to descriptor: Int32) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                    continue
                }
                let code = errno
                if written < 0 && code == EINTR { continue }
                if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                    // Someone else made the descriptor non-blocking: wait until it can take more.
                    var waiter = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&waiter, 1, -1)
                    continue
                }
                throw MCPError.transportError(StdioWriteError(code: code))
            }
        }
    }
}

/// A failed `write(2)` to the MCP output.
struct StdioWriteError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { "writing MCP output failed: \(String(cString: strerror(code)))" }
}

/// Tracks requests read but not yet answered, so end of input can wait for their responses.
final class RequestLedger: Sendable {
    private struct State {
        var open: Set<ID> = []
        var inputEnded = false
        var finished = false
    }

    private let state = Mutex(State())
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// Records the requests in an incoming message and hands it to the server.
    func received(_ message: Data) {
        let envelopes = Envelope.decode(message)
        state.withLock { state in
            for envelope in envelopes {
                if let id = envelope.id, envelope.method != nil { state.open.insert(id) }
                if let cancelled = envelope.cancelledRequest { state.open.remove(cancelled) }
            }
        }
        continuation.yield(message)
    }

    /// Records a request answered outside the server.
    func opened(_ id: ID) {
        state.withLock { _ = $0.open.insert(id) }
    }

    /// Records the answer to a request recorded with ``opened(_:)``.
    func answered(_ id: ID) {
        let done = state.withLock { state in
            state.open.remove(id)
            return state.inputEnded && state.open.isEmpty
        }
        if done { finish() }
    }

    /// Records the responses in an outgoing message; finishes the stream if input has ended and all is answered.
    func sent(_ message: Data) {
        let envelopes = Envelope.decode(message)
        let done = state.withLock { state in
            for envelope in envelopes where envelope.method == nil {
                if let id = envelope.id { state.open.remove(id) }
            }
            return state.inputEnded && state.open.isEmpty
        }
        if done { finish() }
    }

    /// Marks end of input; finishes now when nothing is pending, else returns true (the caller bounds the wait).
    func inputEnded() -> Bool {
        let waiting = state.withLock { state in
            state.inputEnded = true
            return !state.open.isEmpty
        }
        if !waiting { finish() }
        return waiting
    }

    func finish() {
        let first = state.withLock { state in
            defer { state.finished = true }
            return !state.finished
        }
        if first { continuation.finish() }
    }
}

/// The routing fields of a JSON-RPC message (or of each message of a batch).
private struct Envelope: Decodable {
    var id: ID?
    var method: String?
    var cancelledRequest: ID?

    private enum Keys: String, CodingKey { case id, method, params }
    private enum CancelKeys: String, CodingKey { case requestId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        id = try? container.decodeIfPresent(ID.self, forKey: .id)
        method = try? container.decodeIfPresent(String.self, forKey: .method)
        if method == CancelledNotification.name {
            cancelledRequest = try? container.nestedContainer(keyedBy: CancelKeys.self, forKey: .params)
                .decodeIfPresent(ID.self, forKey: .requestId)
        }
    }

    static func decode(_ message: Data) -> [Envelope] {
        let decoder = JSONDecoder()
        if message.first == UInt8(ascii: "[") {
            return (try? decoder.decode([Envelope].self, from: message)) ?? []
        }
        return (try? decoder.decode(Envelope.self, from: message)).map { [$0] } ?? []
    }
}
