import Dispatch

/// Drives a ``LookupScheduler`` with Dispatch: a serial queue owns the state, one timer source provides
/// wake-ups (armed only when the state machine asks for one, so an idle scheduler costs nothing), and request
/// completions re-enter through the queue.
///
/// `@unchecked Sendable`: every mutable property is read and written only on `queue`.
public final class DispatchLookupScheduler<Payload: Sendable>: @unchecked Sendable {
    public typealias Lookup = LookupScheduler<Payload>.Lookup
    public typealias Completion = LookupScheduler<Payload>.Completion

    /// Performs one request; must call the completion exactly once, on any thread.
    public typealias Performer = @Sendable (Lookup, @escaping @Sendable (Completion) -> Void) -> Void

    public struct Events: Sendable {
        /// A lookup used up its attempts.
        public var exhausted: @Sendable (Lookup) -> Void
        /// The connection paused (401/427) with this reason.
        public var paused: @Sendable (String) -> Void
        /// A probe succeeded after a pause.
        public var resumed: @Sendable () -> Void
        /// The circuit breaker opened (with the seconds it stays open) or closed (`nil`).
        public var circuit: @Sendable (Double?) -> Void
        /// A request completed: progress for the watchdog.
        public var turned: @Sendable () -> Void
        /// Leadspace rate limited the connection: it now sends at this share of the configured rate.
        public var rateCut: @Sendable (Double) -> Void
        /// A job used up its allowance with lookups still to send.
        public var jobCapped: @Sendable (String) -> Void
        /// The connection's budget is used up with lookups still to send.
        public var budgetExhausted: @Sendable () -> Void

        public init(
            exhausted: @escaping @Sendable (Lookup) -> Void,
            paused: @escaping @Sendable (String) -> Void = { _ in },
            resumed: @escaping @Sendable () -> Void = {},
            circuit: @escaping @Sendable (Double?) -> Void = { _ in },
            turned: @escaping @Sendable () -> Void = {},
            rateCut: @escaping @Sendable (Double) -> Void = { _ in },
            jobCapped: @escaping @Sendable (String) -> Void = { _ in },
            budgetExhausted: @escaping @Sendable () -> Void = {}
        ) {
            self.exhausted = exhausted
            self.paused = paused
            self.resumed = resumed
            self.circuit = circuit
            self.turned = turned
            self.rateCut = rateCut
            self.jobCapped = jobCapped
            self.budgetExhausted = budgetExhausted
        }
    }

    public let queue: DispatchQueue
    private var state: LookupScheduler<Payload>
    private let timer: any DispatchSourceTimer
    private let perform: Performer
    private let events: Events
    private var nextID: UInt64 = 1
    private var timerArmed = false

    public init(name: String, settings: SchedulerSettings, billing: LookupScheduler<Payload>.Billing = .single,
                perform: @escaping Performer, events: Events) {
        self.queue = DispatchQueue(label: "enrichd.scheduler.\(name)")
        self.state = LookupScheduler(settings: settings, now: DispatchTime.now().uptimeNanoseconds,
                                     seed: UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds),
                                     billing: billing)
        self.timer = DispatchSource.makeTimerSource(queue: self.queue)
        self.perform = perform
        self.events = events
        self.timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.timerArmed = false
            self.apply(self.state.wakeUp(now: Self.now()))
        }
        self.timer.activate()
    }

    deinit {
        self.timer.cancel()
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Adds a job's lookups (payloads in sending order).
    public func enqueue(job: String, payloads: [Payload]) {
        self.queue.async {
            let lookups = payloads.map { payload -> (id: UInt64, payload: Payload) in
                defer { self.nextID += 1 }
                return (self.nextID, payload)
            }
            self.apply(self.state.enqueue(job: job, lookups: lookups, now: Self.now()))
        }
    }

    /// Stops sending for a shutdown (see ``LookupScheduler/close()``).
    public func close() {
        self.queue.async { self.state.close() }
    }

    public func removeJob(_ job: String) {
        self.queue.async { self.apply(self.state.removeJob(job, now: Self.now())) }
    }

    public func resume() {
        self.queue.async { self.apply(self.state.resume(now: Self.now())) }
    }

    /// Sets how many more records a job may send (`nil`: no cap).
    public func setAllowance(job: String, remaining: Int?) {
        self.queue.async { self.apply(self.state.setAllowance(job: job, remaining: remaining, now: Self.now())) }
    }

    /// Changes what a job may still send by `delta` records (its cap was changed).
    public func raiseAllowance(job: String, by delta: Int) {
        self.queue.async { self.apply(self.state.raiseAllowance(job: job, by: delta, now: Self.now())) }
    }

    /// Sets how many more records the connection may send (`nil`: no budget).
    public func setBudget(remaining: Int?) {
        self.queue.async { self.apply(self.state.setBudget(remaining: remaining, now: Self.now())) }
    }

    public func update(settings: SchedulerSettings) {
        self.queue.async { self.apply(self.state.update(settings: settings, now: Self.now())) }
    }

    /// A snapshot of the state, read on the queue.
    public func snapshot() -> (inFlight: Int, pending: Int, pauseReason: String?) {
        self.queue.sync { (self.state.inFlight, self.state.pending, self.state.pauseReason) }
    }

    private func apply(_ actions: [LookupScheduler<Payload>.Action]) {
        for action in actions {
            switch action {
            case .send(let lookup):
                self.perform(lookup) { [weak self] completion in
                    guard let self else { return }
                    self.queue.async {
                        self.events.turned()
                        self.apply(self.state.completed(lookup, completion, now: Self.now()))
                    }
                }
            case .wakeUp(let deadline):
                self.timer.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .microseconds(200))
                self.timerArmed = true
            case .exhausted(let lookup):
                self.events.exhausted(lookup)
            case .paused(let reason):
                self.events.paused(reason)
            case .resumed:
                self.events.resumed()
            case .circuitOpened(let until):
                self.events.circuit(Double(until - min(until, Self.now())) / 1e9)
            case .circuitClosed:
                self.events.circuit(nil)
            case .rateCut(let factor):
                self.events.rateCut(factor)
            case .jobCapped(let job):
                self.events.jobCapped(job)
            case .budgetExhausted:
                self.events.budgetExhausted()
            }
        }
    }
}
