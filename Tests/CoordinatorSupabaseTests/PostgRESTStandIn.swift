import Foundation
import Hummingbird
import Synchronization

/// A real HTTP server on 127.0.0.1 (Hummingbird 2, port picked by the kernel) standing in for PostgREST, which
/// cannot run on this platform. It records every request exactly as received and answers with `script`.
final class PostgRESTStandIn: Sendable {
    /// The port the running server reported through `onServerRunning`.
    let port: Int
    private let recorder: Recorder
    private let serverTask: Task<Void, Never>
    private let stopped: AsyncStream<Void>

    /// `http://127.0.0.1:{port}`: what `SUPABASE_URL` would be.
    var url: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in arrival order.
    var requests: [RecordedRequest] { recorder.requests }

    private init(port: Int, recorder: Recorder, serverTask: Task<Void, Never>, stopped: AsyncStream<Void>) {
        self.port = port
        self.recorder = recorder
        self.serverTask = serverTask
        self.stopped = stopped
    }

    /// Starts the server and waits (at most 10 s) until it listens.
    static func start(script: @escaping @Sendable (RecordedRequest) async -> StandInAnswer) async throws -> PostgRESTStandIn {
        let recorder = Recorder()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
            }
            let recorded = RecordedRequest(method: request.method.rawValue, path: request.uri.path,
                                           query: request.uri.query, headers: headers, body: String(buffer: body))
            recorder.append(recorded)
            let answer = await script(recorded)
            if let delay = answer.delay { try await Task.sleep(for: delay) }
            var responseHeaders = HTTPFields()
            if let contentType = answer.contentType { responseHeaders[.contentType] = contentType }
            return Response(status: .init(code: answer.status), headers: responseHeaders,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int?.self)
        let (stopped, stoppedContinuation) = AsyncStream.makeStream(of: Void.self)
        var app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port) }
        )
        app.logger.logLevel = .warning
        let server = app
        let serverTask = Task {
            try? await server.run()
            portContinuation.yield(nil)
            portContinuation.finish()
            stoppedContinuation.yield()
            stoppedContinuation.finish()
        }
        let port = await firstElement(of: ports, within: .seconds(10)) ?? nil
        guard let port else {
            serverTask.cancel()
            throw StandInError(description: "the PostgREST stand-in did not start listening")
        }
        return PostgRESTStandIn(port: port, recorder: recorder, serverTask: serverTask, stopped: stopped)
    }

    /// Cancels the server task and waits at most 5 s for it to end.
    func stop() async {
        serverTask.cancel()
        _ = await Self.firstElement(of: stopped, within: .seconds(5))
    }

    /// The stream's first element, or `nil` when none arrives in time (the wait is cancelled, never leaked).
    private static func firstElement<Element: Sendable>(of stream: AsyncStream<Element>, within limit: Duration) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask {
                for await element in stream { return element }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// The request log shared by the responder (which runs on the server's tasks) and the test.
private final class Recorder: Sendable {
    private let log = Mutex<[RecordedRequest]>([])

    var requests: [RecordedRequest] { log.withLock { $0 } }

    func append(_ request: RecordedRequest) { log.withLock { $0.append(request) } }
}

struct StandInError: Error, CustomStringConvertible {
    let description: String
}
