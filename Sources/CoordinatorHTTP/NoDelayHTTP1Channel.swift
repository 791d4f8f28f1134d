import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with `TCP_NODELAY` set on every accepted connection.
///
/// NIO sets `TCP_NODELAY` on the listening socket only; whether accepted sockets inherit it depends on the
/// platform. Setting it per connection makes sure streamed responses (SSE from `/mcp`) and pipelined small
/// responses are not held back by Nagle's algorithm waiting for delayed ACKs.
struct NoDelayHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.setOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1).flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    /// HTTP/1 with `TCP_NODELAY`, closing keep-alive connections idle for `idleTimeout`.
    static func builder(idleTimeout: Duration) -> HTTPServerBuilder {
        let configuration = HTTP1Channel.Configuration(idleTimeout: TimeAmount(idleTimeout))
        return HTTPServerBuilder { responder in
            NoDelayHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
