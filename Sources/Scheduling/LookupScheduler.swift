import SplitMix

/// The scheduling logic of one connection as a pure state machine: feed it events with the current time
/// (nanoseconds on any monotonic clock), perform the actions it returns.
///
/// It keeps the token bucket full-rate while there is work, at most `maxInFlight` requests outstanding, shares
/// the rate round-robin between jobs, retries with exponential backoff and full jitter, slows the whole
/// connection on 429, and pauses (sending nothing) when credentials or credits are refused. Spending caps are
/// counted here, where requests are sent: a job's allowance and the connection's budget, in records billed (a
/// bulk call bills its records), are never exceeded, and a bulk call that would cross one is cut to fit.
public struct LookupScheduler<Payload: Sendable>: Sendable {
    public typealias LookupID = UInt64

    /// What a lookup bills (a bulk call: its records), and how to cut one to fit what may still be sent.
    public struct Billing: Sendable {
        public var cost: @Sendable (Payload) -> Int
        /// The first `count` records, and the rest; `nil` for payloads that cannot be cut (cost 1 each).
        public var split: (@Sendable (Payload, Int) -> (head: Payload, rest: Payload))?

        public init(cost: @escaping @Sendable (Payload) -> Int,
                    split: (@Sendable (Payload, Int) -> (head: Payload, rest: Payload))? = nil) {
            self.cost = cost
            self.split = split
        }

        /// One record per lookup.
        public static var single: Billing { Billing(cost: { _ in 1 }) }
    }

    public struct Lookup: Sendable {
        public var id: LookupID
        public var job: String
        public var payload: Payload
        /// Attempts made so far.
        public var attempts: Int
        public var lastFailure: String?
    }

    /// How a performed request ended, as the scheduler needs to know it.
    public enum Completion: Sendable, Equatable {
        /// Done: an answer (a hit, a miss or an invalid record). Nothing more to do.
        case finished
        /// Failed transiently: try again later (`notBefore` from `Retry-After`).
        case retry(reason: String, notBefore: Duration?, rateLimited: Bool)
        /// The connection cannot go on (401, 427): requeue this lookup and stop sending until ``resume(now:)``.
        case pause(reason: String)
    }

    public enum Action: Sendable {
        /// Send this lookup now (attempt number `lookup.attempts`).
        case send(Lookup)
        /// Call ``wakeUp(now:)`` at this time (replaces any earlier wake-up).
        case wakeUp(at: UInt64)
        /// The lookup used up its attempts; the job records it as an error with the last reason.
        case exhausted(Lookup)
        /// The connection paused with this reason.
        case paused(reason: String)
        /// A probe succeeded: the paused connection sends again.
        case resumed
        /// Too many consecutive failures: nothing is sent until the given time, then one probe.
        case circuitOpened(until: UInt64)
        /// A probe through the half-open circuit succeeded.
        case circuitClosed
        /// Leadspace rate limited the connection (429): it now sends at this share of the configured rate.
        case rateCut(factor: Double)
        /// The job used up its allowance with lookups still to send: it sends nothing more until it is raised.
        case jobCapped(job: String)
        /// The connection's budget is used up with lookups still to send: nothing is sent until it is raised.
        case budgetExhausted
    }

    /// The circuit breaker: closed (normal), open (sending nothing), half-open (one probe at a time).
    public enum Circuit: Sendable, Equatable {
        case closed
        case open(until: UInt64)
        case halfOpen
    }

    public private(set) var settings: SchedulerSettings
    private var bucket: TokenBucket
    private var jobOrder: [String] = []
    private var queues: [String: Deque<Lookup>] = [:]
    private var cursor = 0
    private var retries: [Lookup] = []
    private var retryTimes: [LookupID: UInt64] = [:]
    private var inFlightJobs: [LookupID: String] = [:]
    /// Removed jobs with requests still in flight: those requests are not tried again.
    private var removedJobs: Set<String> = []
    /// Closed for a shutdown: nothing new is sent, nothing is tried again; requests in flight complete.
    public private(set) var isClosed = false
    private var blockedUntil: UInt64 = 0
    private var scheduledWakeUp: UInt64?
    public private(set) var pauseReason: String?
    private var random: SplitMix64
    public private(set) var circuit = Circuit.closed
    private var consecutiveFailures = 0
    private var openDuration: UInt64 = 0
    private var nextProbeAt: UInt64?
    private var probeID: LookupID?
    /// The share of the configured rate in use: cut on 429s, recovered by successes.
    public private(set) var rateFactor = 1.0
    private var lastRateCut: UInt64?
    private let billing: Billing
    /// Records each job may still send (absent: no cap), and the jobs told they are capped.
    private var allowances: [String: Int] = [:]
    private var cappedJobs: Set<String> = []
    /// Records the connection may still send (`nil`: no budget), and whether it was told it is used up.
    public private(set) var budget: Int?
    private var budgetReported = false
    /// Ids for the rest of a lookup cut to fit (the high half of the id space; callers number from 1).
    private var nextSplitID: LookupID = 1 << 63

    public var inFlight: Int { self.inFlightJobs.count }
    public var isPaused: Bool { self.pauseReason != nil }
    /// Lookups waiting to be sent (fresh and retries).
    public var pending: Int { self.queues.values.reduce(0) { $0 + $1.count } + self.retries.count }
    public var isIdle: Bool { self.pending == 0 && self.inFlight == 0 }

    public init(settings: SchedulerSettings, now: UInt64, seed: UInt64 = 0x5EED, billing: Billing = .single) {
        self.settings = settings
        self.billing = billing
        self.bucket = TokenBucket(rate: settings.ratePerSecond, capacity: Double(settings.burst), now: now)
        self.random = SplitMix64(seed: seed)
    }

    /// Adds lookups for a job, in the order they should be sent.
    public mutating func enqueue(job: String, lookups: [(id: LookupID, payload: Payload)], now: UInt64) -> [Action] {
        guard !self.isClosed else { return [] }
        self.removedJobs.remove(job)
        if self.queues[job] == nil {
            self.queues[job] = Deque()
            self.jobOrder.append(job)
        }
        for lookup in lookups {
            self.queues[job]!.append(Lookup(id: lookup.id, job: job, payload: lookup.payload, attempts: 0))
        }
        return self.pump(now: now)
    }

    /// Drops every queued lookup of a job (cancel, shutdown); its in-flight requests still complete, but one
    /// that fails is not tried again: nothing more is sent for the job.
    public mutating func removeJob(_ job: String, now: UInt64) -> [Action] {
        if self.inFlightJobs.values.contains(job) { self.removedJobs.insert(job) }
        self.allowances[job] = nil
        self.cappedJobs.remove(job)
        self.queues[job] = nil
        self.jobOrder.removeAll { $0 == job }
        self.retries.removeAll { lookup in
            guard lookup.job == job else { return false }
            self.retryTimes[lookup.id] = nil
            return true
        }
        if self.cursor >= self.jobOrder.count { self.cursor = 0 }
        return self.pump(now: now)
    }

    /// Sets how many more records a job may send (`nil`: no cap), e.g. its cap less what it sent before a
    /// restart, or a raised cap after a reload.
    public mutating func setAllowance(job: String, remaining: Int?, now: UInt64) -> [Action] {
        self.allowances[job] = remaining.map { max(0, $0) }
        // Told again if the new allowance holds the job back too.
        self.cappedJobs.remove(job)
        return self.pump(now: now)
    }

    /// Raises (or lowers) what a job may still send by `delta` records: its cap was changed by a reload.
    public mutating func raiseAllowance(job: String, by delta: Int, now: UInt64) -> [Action] {
        guard let allowance = self.allowances[job] else { return [] }
        return self.setAllowance(job: job, remaining: allowance + delta, now: now)
    }

    /// What a job may still send (`nil`: no cap).
    public func allowance(job: String) -> Int? { self.allowances[job] }

    /// Sets how many more records the connection may send (`nil`: no budget): what is left of the period.
    public mutating func setBudget(remaining: Int?, now: UInt64) -> [Action] {
        self.budget = remaining.map { max(0, $0) }
        if (remaining ?? 1) > 0 { self.budgetReported = false }
        return self.pump(now: now)
    }

    /// Whether a job may send anything now.
    private func maySend(_ job: String) -> Bool {
        self.budget != 0 && self.allowances[job] != 0
    }

    /// Gives back what a refused request (429, 401, 427: not billed) took from the caps.
    private mutating func refund(_ lookup: Lookup) {
        let cost = self.billing.cost(lookup.payload)
        if let allowance = self.allowances[lookup.job] {
            self.allowances[lookup.job] = allowance + cost
            self.cappedJobs.remove(lookup.job)
        }
        if let budget = self.budget {
            self.budget = budget + cost
            self.budgetReported = false
        }
    }

    /// Takes what `lookup` bills from the caps, first cutting it to fit when only part of it may be sent (the
    /// rest goes back to the front of its job's queue).
    private mutating func charge(_ lookup: inout Lookup) {
        var allowed = Int.max
        if let allowance = self.allowances[lookup.job] { allowed = min(allowed, allowance) }
        if let budget = self.budget { allowed = min(allowed, budget) }
        var cost = self.billing.cost(lookup.payload)
        if cost > allowed, allowed > 0, let split = self.billing.split {
            let (head, rest) = split(lookup.payload, allowed)
            self.requeueFront(Lookup(id: self.nextSplitID, job: lookup.job, payload: rest, attempts: lookup.attempts,
                                     lastFailure: lookup.lastFailure))
            self.nextSplitID += 1
            lookup.payload = head
            cost = self.billing.cost(head)
        }
        if let allowance = self.allowances[lookup.job] { self.allowances[lookup.job] = allowance - cost }
        if let budget = self.budget { self.budget = budget - cost }
    }

    /// The number of lookups a job still has queued or in flight.
    public func outstanding(job: String) -> Int {
        (self.queues[job]?.count ?? 0) + self.retries.filter { $0.job == job }.count
            + self.inFlightJobs.values.filter { $0 == job }.count
    }

    /// Stops sending for a shutdown: queued lookups are dropped, later ones ignored, failed requests not tried
    /// again (whatever job they belong to, so no hand-over between stopping jobs sends anything either).
    public mutating func close() {
        self.isClosed = true
        self.queues = [:]
        self.jobOrder = []
        self.cursor = 0
        self.retries = []
        self.retryTimes = [:]
    }

    public mutating func completed(_ lookup: Lookup, _ completion: Completion, now: UInt64) -> [Action] {
        self.inFlightJobs[lookup.id] = nil
        let removed = self.isClosed || self.removedJobs.contains(lookup.job)
        if removed && !self.inFlightJobs.values.contains(lookup.job) { self.removedJobs.remove(lookup.job) }
        let wasProbe = self.probeID == lookup.id
        if wasProbe { self.probeID = nil }
        var actions: [Action] = []
        switch completion {
        case .finished:
            self.consecutiveFailures = 0
            self.openDuration = 0
            if self.circuit != .closed {
                self.circuit = .closed
                actions.append(.circuitClosed)
            }
            if wasProbe && self.pauseReason != nil {
                self.pauseReason = nil
                self.nextProbeAt = nil
                actions.append(.resumed)
            }
            if self.rateFactor < 1 {
                // Additive increase: about a hundred answers bring back a tenth of the rate.
                self.rateFactor = min(1, self.rateFactor + 0.001)
                self.bucket.setRate(self.settings.ratePerSecond * self.rateFactor, now: now)
            }
        case .retry(let reason, let notBefore, let rateLimited):
            var lookup = lookup
            lookup.lastFailure = reason
            if rateLimited {
                // Multiplicative decrease, once per burst: concurrent 429s are one signal, not many.
                if self.lastRateCut.map({ now - $0 > 1_000_000_000 }) ?? true {
                    self.lastRateCut = now
                    let factor = max(0.1, self.rateFactor * 0.8)
                    if factor < self.rateFactor { actions.append(.rateCut(factor: factor)) }
                    self.rateFactor = factor
                    self.bucket.setRate(self.settings.ratePerSecond * self.rateFactor, now: now)
                }
                // A 429 says the connection as a whole is too fast: everyone waits, and the bucket starts empty.
                let pause = notBefore ?? self.settings.rateLimitPause
                self.blockedUntil = max(self.blockedUntil, now + pause.nanoseconds)
                self.bucket.drain(now: now)
                // Rate-limited attempts were not served (nor billed); they do not use up the record's attempts.
                lookup.attempts -= 1
                self.refund(lookup)
                if !removed { self.requeueFront(lookup) }
            } else {
                self.consecutiveFailures += 1
                if case .halfOpen = self.circuit {
                    actions.append(self.openCircuit(now: now))
                } else if self.circuit == .closed && self.consecutiveFailures >= self.settings.circuitFailureThreshold {
                    actions.append(self.openCircuit(now: now))
                }
                if removed {
                    // The job is gone: its lookup is neither tried again nor reported as given up.
                } else if lookup.attempts >= self.settings.maxAttempts {
                    actions.append(.exhausted(lookup))
                } else {
                    let delay = max(self.backoff(attempt: lookup.attempts), notBefore?.nanoseconds ?? 0)
                    self.retries.append(lookup)
                    self.retryTimes[lookup.id] = now + delay
                }
            }
        case .pause(let reason):
            var lookup = lookup
            lookup.attempts -= 1
            self.refund(lookup)
            if !removed { self.requeueFront(lookup) }
            self.nextProbeAt = now + self.settings.probeInterval.nanoseconds
            if self.pauseReason == nil {
                self.pauseReason = reason
                actions.append(.paused(reason: reason))
            }
        }
        return actions + self.pump(now: now)
    }

    private mutating func openCircuit(now: UInt64) -> Action {
        let base = self.settings.circuitOpenDuration.nanoseconds
        self.openDuration = min(self.settings.maxDelay.nanoseconds, self.openDuration == 0 ? base : self.openDuration * 2)
        let until = now + self.openDuration
        self.circuit = .open(until: until)
        return .circuitOpened(until: until)
    }

    /// Resumes a paused connection (after a reload or a successful probe).
    public mutating func resume(now: UInt64) -> [Action] {
        self.pauseReason = nil
        self.nextProbeAt = nil
        return self.pump(now: now)
    }

    /// Applies new limits (after a reload), keeping queues and in-flight requests.
    public mutating func update(settings: SchedulerSettings, now: UInt64) -> [Action] {
        self.settings = settings
        self.bucket = TokenBucket(rate: settings.ratePerSecond, capacity: Double(settings.burst), now: now)
        self.bucket.drain(now: now)
        return self.pump(now: now)
    }

    /// A timer fired.
    public mutating func wakeUp(now: UInt64) -> [Action] {
        self.scheduledWakeUp = nil
        return self.pump(now: now)
    }

    /// Full jitter: uniform in [0, min(maxDelay, baseDelay · 2^(attempt-1))].
    mutating func backoff(attempt: Int) -> UInt64 {
        let base = Double(self.settings.baseDelay.nanoseconds)
        let ceiling = min(Double(self.settings.maxDelay.nanoseconds), base * pow2(max(0, attempt - 1)))
        return UInt64(self.random.unit() * ceiling)
    }

    private mutating func requeueFront(_ lookup: Lookup) {
        if self.queues[lookup.job] == nil {
            self.queues[lookup.job] = Deque()
            self.jobOrder.append(lookup.job)
        }
        self.queues[lookup.job]!.prepend(lookup)
    }

    /// The next lookup to send: a due retry first, else the next job in round-robin order.
    private mutating func takeNext(now: UInt64) -> Lookup? {
        if let index = self.retries.indices.filter({ self.maySend(self.retries[$0].job) })
            .min(by: { self.retryTimes[self.retries[$0].id]! < self.retryTimes[self.retries[$1].id]! }),
            self.retryTimes[self.retries[index].id]! <= now
        {
            let lookup = self.retries.remove(at: index)
            self.retryTimes[lookup.id] = nil
            return lookup
        }
        guard !self.jobOrder.isEmpty else { return nil }
        for step in 0..<self.jobOrder.count {
            let index = (self.cursor + step) % self.jobOrder.count
            let job = self.jobOrder[index]
            guard self.maySend(job) else { continue }
            if let lookup = self.queues[job]?.popFirst() {
                self.cursor = (index + 1) % self.jobOrder.count
                return lookup
            }
        }
        return nil
    }

    private var hasFreshWork: Bool {
        self.queues.contains { !$0.value.isEmpty && self.maySend($0.key) }
    }

    /// Tells, once, of each job (and the connection) whose cap holds back lookups still to send.
    private mutating func reportCaps() -> [Action] {
        var actions: [Action] = []
        if self.budget == 0, !self.budgetReported, self.pending > 0 {
            self.budgetReported = true
            actions.append(.budgetExhausted)
        }
        for (job, allowance) in self.allowances where allowance == 0 && !self.cappedJobs.contains(job) {
            guard !(self.queues[job]?.isEmpty ?? true) || self.retries.contains(where: { $0.job == job }) else { continue }
            self.cappedJobs.insert(job)
            actions.append(.jobCapped(job: job))
        }
        return actions
    }

    private mutating func pump(now: UInt64) -> [Action] {
        var actions: [Action] = []
        // Jobs whose queues ran dry leave the rotation.
        if self.jobOrder.contains(where: { self.queues[$0]?.isEmpty ?? true }) {
            let current = self.jobOrder.isEmpty ? nil : self.jobOrder[self.cursor % self.jobOrder.count]
            self.jobOrder.removeAll { job in
                guard self.queues[job]?.isEmpty ?? true else { return false }
                self.queues[job] = nil
                return true
            }
            self.cursor = current.flatMap { self.jobOrder.firstIndex(of: $0) } ?? 0
        }
        var nextWake: UInt64?
        var limit = self.settings.maxInFlight
        if self.pauseReason != nil {
            // Paused: nothing but one probe now and then, to notice when credits or credentials are back.
            guard let probeAt = self.nextProbeAt, self.inFlight == 0 else { return actions }
            if probeAt > now {
                if probeAt != self.scheduledWakeUp {
                    self.scheduledWakeUp = probeAt
                    actions.append(.wakeUp(at: probeAt))
                }
                return actions
            }
            limit = 1
        }
        if case .open(let until) = self.circuit {
            if now < until {
                if until != self.scheduledWakeUp {
                    self.scheduledWakeUp = until
                    actions.append(.wakeUp(at: until))
                }
                return actions
            }
            self.circuit = .halfOpen
        }
        if case .halfOpen = self.circuit { limit = 1 }
        while self.inFlight < limit {
            if now < self.blockedUntil {
                nextWake = self.blockedUntil
                break
            }
            let dueRetry = self.retries.contains { self.retryTimes[$0.id]! <= now && self.maySend($0.job) }
            guard self.hasFreshWork || dueRetry else { break }
            guard self.bucket.tryTake(now: now) else {
                nextWake = self.bucket.nextTokenTime(now: now)
                break
            }
            guard var lookup = self.takeNext(now: now) else { break }
            self.charge(&lookup)
            lookup.attempts += 1
            self.inFlightJobs[lookup.id] = lookup.job
            if self.pauseReason != nil { self.probeID = lookup.id }
            actions.append(.send(lookup))
        }
        if self.inFlight < limit,
            let earliestRetry = self.retries.filter({ self.maySend($0.job) }).map({ self.retryTimes[$0.id]! }).min(),
            earliestRetry > now
        {
            nextWake = min(nextWake ?? earliestRetry, earliestRetry)
        }
        actions += self.reportCaps()
        if let nextWake, nextWake != self.scheduledWakeUp {
            self.scheduledWakeUp = nextWake
            actions.append(.wakeUp(at: nextWake))
        }
        return actions
    }
}

private func pow2(_ exponent: Int) -> Double {
    Double(sign: .plus, exponent: min(exponent, 60), significand: 1)
}
