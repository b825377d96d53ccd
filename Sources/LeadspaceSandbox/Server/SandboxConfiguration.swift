/// Everything `leadspace-sandbox serve` can be told; the defaults are the command line's.
public struct SandboxConfiguration: Sendable, Hashable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; the bound port is reported when the server is listening.
    public var port = 0
    public var seed: UInt64 = 42
    public var companies = 20_000
    /// Perpetual tokens; with none (and no OAuth program) any non-empty bearer token is accepted.
    public var tokens: [String] = []
    public var oauthProgram: AccessControl.Program?
    /// Lifetime of OAuth access tokens in seconds (about a day at Leadspace).
    public var oauthTokenLifetime = 86_400
    /// Credit balance; nil is unlimited.
    public var credits: Int?
    /// Requests per second for single and bulk calls together; 0 disables the limit.
    public var rate: Double = 30
    public var latencyMilliseconds = 20
    public var latencyJitterMilliseconds = 10
    public var faultRates = FaultInjector.Rates()
    /// How long a request picked for the timeout fault is held before its connection is dropped.
    public var timeoutHoldSeconds = 65
    /// How long a bulk batch reports 204 before its results are ready, plus one millisecond per record.
    public var bulkDelayMilliseconds = 250
    /// Largest accepted request body.
    public var maximumBodyBytes = 8 << 20

    public init() {}
}
