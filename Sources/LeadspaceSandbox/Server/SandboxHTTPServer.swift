import Hummingbird
import Logging

/// The Leadspace emulator as a value a test or the `leadspace-sandbox` executable can run.
///
/// ```swift
/// var configuration = SandboxConfiguration()
/// configuration.tokens = ["t1"]
/// let server = SandboxHTTPServer(configuration: configuration)
/// let task = Task { try await server.run { port in print("listening on \(port)") } }
/// // ... talk to http://127.0.0.1:<port> ...
/// task.cancel()  // stops the server and fails any request still being held
/// ```
public struct SandboxHTTPServer: Sendable {
    public let configuration: SandboxConfiguration
    public let directory: CompanyDirectory
    private let service: SandboxService

    /// Builds the server; generates the directory from the configuration's seed unless one is passed in.
    public init(configuration: SandboxConfiguration, directory: CompanyDirectory? = nil, logger: Logger? = nil) {
        let logger = logger ?? Logger(label: "leadspace-sandbox")
        let directory = directory ?? CompanyDirectory(seed: configuration.seed, companyCount: configuration.companies)
        self.configuration = configuration
        self.directory = directory
        self.service = SandboxService(configuration: configuration, directory: directory, logger: logger)
    }

    /// The counters `GET /sandbox/stats` reports, read directly.
    public var statistics: RequestStatistics.Snapshot {
        self.service.snapshot()
    }

    /// The credit balance, which tests may also change while the server runs.
    public var credits: CreditLedger {
        self.service.credits
    }

    /// Serves until the task is cancelled. `onListening` gets the bound port (useful with port 0) once the
    /// socket accepts connections.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let configuration = self.configuration
        let application = Application(
            router: self.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? configuration.port)
            },
            logger: self.service.logger
        )
        try await application.run()
    }

    private func router() -> Router<SandboxRequestContext> {
        let service = self.service
        let router = Router(context: SandboxRequestContext.self)
        // Every request at debug level: `serve --verbose` shows them, the default level keeps stderr quiet.
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.post("/enrichment/enrich/single") { request, context in
            try await service.single(request, context: context)
        }
        router.post("/enrichment/enrich/bulk") { request, context in
            try await service.bulk(request, context: context)
        }
        router.get("/v3/enrichment/results/:id") { request, context in
            try await service.poll(request, context: context)
        }
        router.post("/oauth/authorize") { request, context in
            try await service.authorize(request, context: context)
        }
        router.put("/oauth/authorize") { request, context in
            try await service.refresh(request, context: context)
        }
        for path in ["/enrichment/enrich/single", "/enrichment/enrich/bulk"] {
            // A client using the wrong method has a bug; say so the way the real gateway does.
            router.get(RouterPath(path)) { _, context in
                try await service.deliver(
                    service.error(.methodNotAllowed, "Method Not Allowed", details: "use POST"), context: context
                )
            }
        }
        router.get("/sandbox/stats") { _, _ in service.stats() }
        router.post("/sandbox/reset") { _, _ in service.resetStatistics() }
        router.post("/sandbox/oauth/expire") { _, _ in service.expireTokens() }
        router.post("/sandbox/oauth/revoke") { _, _ in service.revokeTokens() }
        router.post("/sandbox/credits") { request, _ in await service.setCredits(request) }
        return router
    }
}
