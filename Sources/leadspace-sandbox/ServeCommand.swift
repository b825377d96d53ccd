import ArgumentParser
import Dispatch
import Foundation
import LeadspaceSandbox

/// `leadspace-sandbox serve`: runs the emulator until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Leadspace API on loopback; prints `listening on http://HOST:PORT` first."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free one.") var port = 0
    @Option(help: "Directory seed.") var seed: UInt64 = 42
    @Option(help: "Number of directory companies.") var companies = 20_000
    @Option(help: "Accepted perpetual bearer token (repeatable); with none, any non-empty token is accepted.")
    var token: [String] = []
    @Option(help: "OAuth program id accepted by /oauth/authorize.") var oauthProgram: String?
    @Option(help: "OAuth secret for --oauth-program.") var oauthSecret: String?
    @Option(help: "Lifetime of issued OAuth access tokens, in seconds.") var oauthTokenLifetime = 86_400
    @Option(help: "Credit balance; unlimited when not given.") var credits: Int?
    @Option(help: "Requests per second (single and bulk together); 0 = unlimited.") var rate: Double = 30
    @Option(help: "Base latency in milliseconds.") var latencyMs = 20
    @Option(help: "Uniform latency jitter, plus or minus, in milliseconds.") var latencyJitterMs = 10
    @Option(help: "Fraction of requests answered 500/502/503.") var failRate: Double = 0
    @Option(help: "Fraction of requests never answered (held, then dropped).") var timeoutRate: Double = 0
    @Option(help: "Fraction of requests whose connection is reset without an answer.") var resetRate: Double = 0
    @Option(help: "Fraction of requests answered 200 with a truncated body.") var malformedRate: Double = 0
    @Option(help: "Seconds a timed-out request is held before its connection is dropped.") var timeoutHoldSeconds = 65
    @Option(help: "Milliseconds a bulk batch stays in processing (plus 1 per record).") var bulkDelayMs = 250
    @Flag(help: "Log every request to standard error.") var verbose = false

    func validate() throws {
        for (name, rate) in [
            ("fail", self.failRate), ("timeout", self.timeoutRate), ("reset", self.resetRate),
            ("malformed", self.malformedRate),
        ] where !(0...1).contains(rate) {
            throw ValidationError("--\(name)-rate must be between 0 and 1")
        }
        guard self.failRate + self.timeoutRate + self.resetRate + self.malformedRate <= 1 else {
            throw ValidationError("the fault rates must add up to at most 1")
        }
        guard (self.oauthProgram == nil) == (self.oauthSecret == nil) else {
            throw ValidationError("--oauth-program and --oauth-secret go together")
        }
        guard self.companies > 0, self.rate >= 0, self.latencyMs >= 0, self.latencyJitterMs >= 0 else {
            throw ValidationError("--companies must be positive; --rate and the latencies must not be negative")
        }
    }

    func run() async throws {
        SandboxLogging.bootstrapStandardError(level: self.verbose ? .debug : .info)
        let server = SandboxHTTPServer(configuration: self.sandboxConfiguration())
        let host = self.host
        let serving = Task {
            try await server.run { port in
                // Unbuffered: a test reads this line through a pipe and must not wait for a buffer to fill.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
        }
        let stopSignals: [Int32] = [SIGTERM, SIGINT]
        let handlers = stopSignals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                serving.cancel()
                // Held (timed-out) requests end on cancellation; this only guards against a stuck shutdown.
                DispatchQueue.global().asyncAfter(deadline: .now() + 5) { Foundation.exit(0) }
            }
            source.resume()
            return source
        }
        defer { handlers.forEach { $0.cancel() } }
        do {
            try await serving.value
        } catch is CancellationError {
            // Cancelled by a signal: a normal stop.
        } catch  where serving.isCancelled {
            // Some services report cancellation with their own errors; a signal was still the cause.
        }
    }

    private func sandboxConfiguration() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.host = self.host
        configuration.port = self.port
        configuration.seed = self.seed
        configuration.companies = self.companies
        configuration.tokens = self.token
        if let program = self.oauthProgram, let secret = self.oauthSecret {
            configuration.oauthProgram = .init(id: program, secret: secret)
        }
        configuration.oauthTokenLifetime = self.oauthTokenLifetime
        configuration.credits = self.credits
        configuration.rate = self.rate
        configuration.latencyMilliseconds = self.latencyMs
        configuration.latencyJitterMilliseconds = self.latencyJitterMs
        configuration.faultRates = .init(
            fail: self.failRate, timeout: self.timeoutRate, reset: self.resetRate, malformed: self.malformedRate
        )
        configuration.timeoutHoldSeconds = self.timeoutHoldSeconds
        configuration.bulkDelayMilliseconds = self.bulkDelayMs
        return configuration
    }
}
