import Locking

/// The shared token bucket of a running sandbox, driven by the continuous clock.
final class RateLimiter: Sendable {
    private let bucket: Locked<TokenBucket>

    init(ratePerSecond: Double) {
        self.bucket = Locked(TokenBucket(ratePerSecond: ratePerSecond))
    }

    func acquire() -> TokenBucket.Decision {
        let now = ContinuousClock.now
        return self.bucket.withLock { $0.acquire(at: now) }
    }
}
