/// A token bucket on a caller-supplied clock (nanoseconds): `rate` tokens a second, at most `capacity` stored.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var rate: Double
    public let capacity: Double
    private(set) var tokens: Double
    private var updatedAt: UInt64

    public init(rate: Double, capacity: Double, now: UInt64) {
        precondition(rate > 0 && capacity >= 1)
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updatedAt = now
    }

    private mutating func refill(now: UInt64) {
        guard now > self.updatedAt else { return }
        self.tokens = min(self.capacity, self.tokens + Double(now - self.updatedAt) * self.rate / 1e9)
        self.updatedAt = now
    }

    /// Takes one token if one is available now.
    public mutating func tryTake(now: UInt64) -> Bool {
        self.refill(now: now)
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }

    /// When the next token will be available (now, if one is).
    public mutating func nextTokenTime(now: UInt64) -> UInt64 {
        self.refill(now: now)
        guard self.tokens < 1 else { return now }
        return now + UInt64(((1 - self.tokens) * 1e9 / self.rate).rounded(.up))
    }

    /// Changes the rate from now on (adaptive slow-down after 429s).
    public mutating func setRate(_ rate: Double, now: UInt64) {
        self.refill(now: now)
        self.rate = max(0.01, rate)
    }

    /// Empties the bucket, e.g. after a 429: the server told us we were too fast.
    public mutating func drain(now: UInt64) {
        self.refill(now: now)
        self.tokens = min(self.tokens, 0)
    }
}
