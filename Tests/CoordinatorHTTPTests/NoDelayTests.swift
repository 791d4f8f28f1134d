#if os(Linux)
import Foundation
import Glibc
import Testing

@Suite("Socket options")
struct NoDelayTests {
    /// The server's end of an accepted connection has TCP_NODELAY set, so small writes (SSE events, short responses)
    /// are not held back by Nagle's algorithm. The server runs in this process, so its socket is among our descriptors.
    @Test func acceptedConnectionsHaveNoDelay() async throws {
        try await TestServer.with { server in
            let port = server.port
            // Blocking socket calls run on their own thread, not on the threads the in-process server needs.
            let option: Int32 = try await withCheckedThrowingContinuation { continuation in
                Thread { continuation.resume(with: Result { try Self.serverSideNoDelay(port: port) }) }.start()
            }
            #expect(option != 0)
        }
    }

    /// Connects, completes one request, finds the server's socket for this connection and reads its TCP_NODELAY.
    static func serverSideNoDelay(port: Int) throws -> Int32 {
        let client = try RawHTTP.connectedSocket(port: port)
        defer { close(client) }
        let request = Array("GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(client, request, request.count, 0) == request.count else { throw TestFailure("send() failed") }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let received = recv(client, &buffer, buffer.count, 0)
        guard received > 0, String(decoding: buffer[0..<received], as: UTF8.self).hasPrefix("HTTP/1.1 200") else {
            throw TestFailure("no response")
        }
        let clientPort = Self.port(of: client, peer: false)
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let descriptor = Int32(name), descriptor != client else { continue }
            guard Self.port(of: descriptor, peer: false) == port, Self.port(of: descriptor, peer: true) == clientPort else { continue }
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 else {
                throw TestFailure("getsockopt() failed")
            }
            return value
        }
        throw TestFailure("the accepted socket was not found")
    }

    /// The local or peer TCP port of a descriptor, `nil` when it is not an IPv4 socket.
    static func port(of descriptor: Int32, peer: Bool) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(descriptor, $0, &length) : getsockname(descriptor, $0, &length)
            }
        }
        guard status == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
#endif
