import Hummingbird

/// What a handler decided to do with a request; ``SandboxService`` turns it into bytes on the wire (or none).
enum SandboxReply: Sendable {
    /// A JSON answer (error bodies included).
    case json(HTTPResponse.Status, [UInt8], headers: HTTPFields = [:])
    /// An answer without a body, such as 204 while a bulk batch is processing.
    case empty(HTTPResponse.Status)
    /// No answer at all: wait `hold` (if any), then reset the connection.
    case drop(hold: Duration?)
}

extension HTTPResponse.Status {
    /// Leadspace's non-standard "out of credits or invalid program id".
    static let outOfCredits = HTTPResponse.Status(code: 427, reasonPhrase: "Out of Credits")
}
