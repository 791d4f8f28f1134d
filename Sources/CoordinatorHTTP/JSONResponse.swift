import CoordinatorCore
import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON response (`Content-Type: application/json`).
    static func json(_ value: JSONValue, status: Int = 200, headers extra: [String: String] = [:]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.jsonBytes())))
    }
}

extension APIError {
    var response: Response { .json(json, status: status, headers: headers) }
}

extension Request {
    /// A header's value by name (case-insensitive); repeated headers are joined with ", ".
    func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        let values = headers[values: field]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
