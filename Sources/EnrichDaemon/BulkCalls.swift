import Locking
import Scheduling

/// Accepted bulk calls whose results are being polled for: counted for the drain, and bounded by Leadspace's
/// queue ("at most about 100,000 records at a time").
final class PollingBulks: Sendable {
    static let recordLimit = 100_000
    private let state = Locked((records: 0, calls: 0))

    var calls: Int { self.state.withLock { $0.calls } }

    /// Whether a call of `records` may poll outside the scheduler (else it keeps its slot until answered).
    func begin(records: Int) -> Bool {
        self.state.withLock { state in
            guard state.records + records <= Self.recordLimit else { return false }
            state.records += records
            state.calls += 1
            return true
        }
    }

    func end(records: Int) {
        self.state.withLock { state in
            state.records -= records
            state.calls -= 1
        }
    }
}

/// A bulk call's hold on a scheduler slot: completed once, either early (released when the call was accepted)
/// or with the call's outcome.
final class SchedulerSlot: Sendable {
    typealias Completion = @Sendable (DispatchLookupScheduler<LookupRequest>.Completion) -> Void

    private struct Callbacks {
        var completion: Completion?
        var onFinish: (@Sendable () -> Void)?
    }

    private let callbacks: Locked<Callbacks>

    init(_ completion: @escaping Completion) {
        self.callbacks = Locked(Callbacks(completion: completion))
    }

    /// Gives the slot back now (the call goes on polling); `onFinish` runs when the call ends.
    func release(onFinish: @escaping @Sendable () -> Void) {
        let completion = self.callbacks.withLock { callbacks in
            callbacks.onFinish = onFinish
            defer { callbacks.completion = nil }
            return callbacks.completion
        }
        completion?(.finished)
    }

    /// Completes the slot with the call's outcome; `false` when it was already given back.
    func complete(_ outcome: DispatchLookupScheduler<LookupRequest>.Completion) -> Bool {
        let completion = self.callbacks.withLock { callbacks in
            defer { callbacks.completion = nil }
            return callbacks.completion
        }
        guard let completion else { return false }
        completion(outcome)
        return true
    }

    /// The call is over (after its outcome was handled): runs `onFinish` at most once.
    func finish() {
        let onFinish = self.callbacks.withLock { callbacks in
            defer { callbacks.onFinish = nil }
            return callbacks.onFinish
        }
        onFinish?()
    }
}
