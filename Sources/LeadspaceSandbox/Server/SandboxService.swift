import Foundation
import Hummingbird
import Logging

/// The sandbox's request handling: owns the engine, the limits, the faults and the counters, and turns each
/// request into a ``SandboxReply``.
final class SandboxService: Sendable {
    let configuration: SandboxConfiguration
    let engine: EnrichmentEngine
    let statistics: RequestStatistics
    let credits: CreditLedger
    let injector: FaultInjector
    let access: AccessControl
    let bulkJobs = BulkJobStore()
    let logger: Logger
    private let limiter: RateLimiter?

    init(configuration: SandboxConfiguration, directory: CompanyDirectory, logger: Logger) {
        self.configuration = configuration
        self.engine = EnrichmentEngine(matcher: CompanyMatcher(directory: directory))
        self.statistics = RequestStatistics()
        self.credits = CreditLedger(credits: configuration.credits)
        self.injector = FaultInjector(
            seed: configuration.seed, rates: configuration.faultRates,
            latencyMilliseconds: configuration.latencyMilliseconds,
            jitterMilliseconds: configuration.latencyJitterMilliseconds
        )
        self.access = AccessControl(
            perpetualTokens: configuration.tokens, program: configuration.oauthProgram,
            tokenLifetime: configuration.oauthTokenLifetime
        )
        self.limiter = configuration.rate > 0 ? RateLimiter(ratePerSecond: configuration.rate) : nil
        self.logger = logger
    }

    /// Sends a reply: counts its status and builds the response, or drops the connection.
    func deliver(_ reply: SandboxReply, context: SandboxRequestContext) async throws -> Response {
        switch reply {
        case .json(let status, let bytes, let extraHeaders):
            self.statistics.countStatus(status.code)
            var headers: HTTPFields = [.contentType: "application/json"]
            headers.append(contentsOf: extraHeaders)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .empty(let status):
            self.statistics.countStatus(status.code)
            return Response(status: status)
        case .drop(let hold):
            if let hold {
                try await Task.sleep(for: hold)
            }
            await ConnectionDropper.reset(context.channel)
            throw ConnectionDropper.Dropped()
        }
    }

    /// The checks every enrichment call passes first: credentials (401), then the rate limit (429, free of
    /// charge), then the media type (415). Nil when the request may go on.
    func admit(_ request: Request, rateLimited: Bool) -> SandboxReply? {
        guard self.access.isAuthorized(header: request.headers[.authorization], now: Self.epochSeconds()) else {
            return self.error(.unauthorized, "Unauthorized", details: "missing, unknown or expired bearer token")
        }
        if rateLimited, let limiter = self.limiter, case .reject(let wait) = limiter.acquire() {
            let seconds = max(1, Int(wait.rounded(.up)))
            return self.error(
                .tooManyRequests, "Too Many Requests", details: "rate limit exceeded",
                headers: [.retryAfter: String(seconds)]
            )
        }
        if let type = request.headers[.contentType], !type.lowercased().contains("json") {
            return self.error(.unsupportedMediaType, "Unsupported Media Type", details: "expected application/json")
        }
        return nil
    }

    /// Reads and decodes a JSON body; the failure is the 400 (or 413) reply to send.
    func decodeBody<Body: Decodable>(_ type: Body.Type, from request: Request) async -> Result<Body, ReplyError> {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: self.configuration.maximumBodyBytes)
        } catch {
            return .failure(ReplyError(reply: self.error(.contentTooLarge, "Payload Too Large", details: nil)))
        }
        do {
            return .success(try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)))
        } catch {
            return .failure(ReplyError(reply: self.error(.badRequest, "Invalid JSON", details: "\(error)")))
        }
    }

    /// An error answer with a fresh tracking id, as Leadspace support asks for.
    func error(
        _ status: HTTPResponse.Status, _ message: String, details: String?, headers: HTTPFields = [:]
    ) -> SandboxReply {
        let body = ErrorBody(
            error: message, trackingID: UUID().uuidString.lowercased(),
            requestTimestamp: Date().formatted(.iso8601), details: details
        )
        return .json(status, Self.encode(body), headers: headers)
    }

    /// JSON with sorted keys (stable bytes for tests) and unescaped slashes (URLs read as URLs).
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }

    static func epochSeconds() -> Int {
        Int(Date().timeIntervalSince1970)
    }
}

/// A reply carried through `Result` by a step that could not go on.
struct ReplyError: Error {
    let reply: SandboxReply
}
