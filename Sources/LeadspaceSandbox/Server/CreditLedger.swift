import Locking

/// The credit balance: every billed record costs one credit; unlimited when created without a balance.
public final class CreditLedger: Sendable {
    private let remaining: Locked<Int?>

    /// `credits` nil means unlimited.
    public init(credits: Int?) {
        self.remaining = Locked(credits)
    }

    /// Charges `records` credits all at once, or nothing when fewer remain (the caller answers 427).
    public func charge(_ records: Int) -> Bool {
        self.remaining.withLock { remaining in
            guard let balance = remaining else {
                return true
            }
            guard balance >= records else {
                return false
            }
            remaining = balance - records
            return true
        }
    }

    /// The credits left; nil when unlimited.
    public var balance: Int? {
        self.remaining.withLock { $0 }
    }

    /// Sets a new balance (nil = unlimited), for tests that top up or drain an account mid-run.
    public func setBalance(_ credits: Int?) {
        self.remaining.withLock { $0 = credits }
    }
}
