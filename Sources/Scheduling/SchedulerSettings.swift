/// The limits one connection's scheduler works within.
public struct SchedulerSettings: Sendable, Equatable {
    public var ratePerSecond: Double
    /// Tokens the bucket holds after an idle spell.
    public var burst: Int
    public var maxInFlight: Int
    /// Attempts per lookup, the first included.
    public var maxAttempts: Int
    /// Backoff: attempt n waits a random time in [0, min(maxDelay, baseDelay · 2^(n-1))] ("full jitter").
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// After a 429 without `Retry-After`, the whole connection waits this long.
    public var rateLimitPause: Duration
    /// Consecutive transient failures that open the circuit breaker.
    public var circuitFailureThreshold: Int
    /// How long an open circuit sends nothing before one probe (doubling while probes fail, up to `maxDelay`).
    public var circuitOpenDuration: Duration
    /// While paused (401/427), one probe request is sent this often.
    public var probeInterval: Duration

    public init(
        ratePerSecond: Double,
        burst: Int? = nil,
        maxInFlight: Int,
        maxAttempts: Int = 6,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        rateLimitPause: Duration = .seconds(1),
        circuitFailureThreshold: Int = 8,
        circuitOpenDuration: Duration = .seconds(5),
        probeInterval: Duration = .seconds(60)
    ) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst ?? Int(ratePerSecond.rounded(.up)))
        self.maxInFlight = maxInFlight
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.rateLimitPause = rateLimitPause
        self.circuitFailureThreshold = max(1, circuitFailureThreshold)
        self.circuitOpenDuration = circuitOpenDuration
        self.probeInterval = probeInterval
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = self.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
