import SplitMix
import Locking

/// Draws latencies, faults and bulk result orders from one seeded generator, so a run's fault pattern repeats with its seed
/// (the exact interleaving still depends on request arrival order).
public final class FaultInjector: Sendable {
    public struct Rates: Sendable, Hashable {
        public var fail: Double
        public var timeout: Double
        public var reset: Double
        public var malformed: Double

        public init(fail: Double = 0, timeout: Double = 0, reset: Double = 0, malformed: Double = 0) {
            self.fail = fail
            self.timeout = timeout
            self.reset = reset
            self.malformed = malformed
        }
    }

    public let rates: Rates
    public let latencyMilliseconds: Int
    public let jitterMilliseconds: Int
    private let random: Locked<SplitMix64>

    public init(seed: UInt64, rates: Rates, latencyMilliseconds: Int, jitterMilliseconds: Int) {
        self.rates = rates
        self.latencyMilliseconds = max(0, latencyMilliseconds)
        self.jitterMilliseconds = max(0, jitterMilliseconds)
        self.random = Locked(SplitMix64(seed: seed, stream: RandomStream.faults.rawValue))
    }

    /// One draw decides the request's fate; the rates partition [0, 1) in the order fail, timeout, reset, malformed.
    public func plan() -> FaultPlan {
        let rates = self.rates
        guard rates.fail + rates.timeout + rates.reset + rates.malformed > 0 else {
            return .none
        }
        return self.random.withLock { random in
            let draw = random.unit()
            var bound = rates.fail
            if draw < bound {
                return .serverError(status: [500, 502, 503][random.int(below: 3)])
            }
            bound += rates.timeout
            if draw < bound {
                return .timeout
            }
            bound += rates.reset
            if draw < bound {
                return .reset
            }
            bound += rates.malformed
            return draw < bound ? .malformed : .none
        }
    }

    /// Whether one record of a bulk batch fails with the retryable internal error 1100 (at the fail rate).
    public func recordFails() -> Bool {
        guard self.rates.fail > 0 else {
            return false
        }
        return self.random.withLock { $0.chance(self.rates.fail) }
    }

    /// The latency of one answer: the base plus or minus a uniform jitter, never negative.
    public func latency() -> Duration {
        guard self.latencyMilliseconds > 0 || self.jitterMilliseconds > 0 else {
            return .zero
        }
        let jitter = self.jitterMilliseconds
        let offset = jitter == 0 ? 0 : self.random.withLock { $0.int(in: -jitter...jitter) }
        return .milliseconds(max(0, self.latencyMilliseconds + offset))
    }

    /// A fresh identifier of `length` hex digits for tokens and batch ids. Deliberately not seeded: a token
    /// issued by one run must not be issued again by the next run with the same seed.
    public static func identifier(hexDigits length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        while text.count < length {
            let chunk = String(generator.next(), radix: 16)
            text += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return String(text.prefix(length))
    }

    /// Shuffles with the injector's generator (bulk results come back in no promised order).
    public func shuffle<Element>(_ elements: inout [Element]) {
        self.random.withLock { $0.shuffle(&elements) }
    }
}
