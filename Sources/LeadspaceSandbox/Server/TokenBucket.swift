/// The rate limiter's state machine: a bucket of `capacity` tokens refilled at `ratePerSecond`.
///
/// With capacity equal to the rate, a client gets about `rate` requests in any one-second window and a burst of
/// at most `capacity`. Time is passed in, so tests drive it without clocks or sleeps.
public struct TokenBucket: Sendable {
    /// What the owner should do with the request.
    public enum Decision: Sendable, Equatable {
        case allow
        /// Reject with 429; a token will be available after this many seconds.
        case reject(retryAfterSeconds: Double)
    }

    public let ratePerSecond: Double
    public let capacity: Double
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant?

    /// A full bucket; `ratePerSecond` must be positive.
    public init(ratePerSecond: Double, capacity: Double? = nil) {
        precondition(ratePerSecond > 0, "a token bucket needs a positive rate")
        self.ratePerSecond = ratePerSecond
        self.capacity = max(1, capacity ?? ratePerSecond)
        self.tokens = self.capacity
    }

    /// Takes a token if one is available at `now`.
    public mutating func acquire(at now: ContinuousClock.Instant) -> Decision {
        if let lastRefill = self.lastRefill {
            let elapsed = lastRefill.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            if seconds > 0 {
                self.tokens = min(self.capacity, self.tokens + seconds * self.ratePerSecond)
                self.lastRefill = now
            }
        } else {
            self.lastRefill = now
        }
        if self.tokens >= 1 {
            self.tokens -= 1
            return .allow
        }
        return .reject(retryAfterSeconds: (1 - self.tokens) / self.ratePerSecond)
    }
}
