import Testing

@testable import Scheduling

/// The scheduler on a virtual clock: every test drives time explicitly, nothing sleeps.
struct LookupSchedulerTests {
    typealias Scheduler = LookupScheduler<Int>
    static let second: UInt64 = 1_000_000_000

    /// Simulates a server answering every request after `latency`, for `duration`, and returns send times.
    func simulate(_ scheduler: inout Scheduler, jobs: [String: Int], latency: UInt64, duration: UInt64,
                  completion: (Scheduler.Lookup) -> Scheduler.Completion = { _ in .finished })
        -> [(time: UInt64, lookup: Scheduler.Lookup)]
    {
        var sent: [(UInt64, Scheduler.Lookup)] = []
        var completions: [(UInt64, Scheduler.Lookup)] = []
        var wake: UInt64?
        var now: UInt64 = 0
        func perform(_ actions: [Scheduler.Action]) {
            for action in actions {
                switch action {
                case .send(let lookup):
                    sent.append((now, lookup))
                    completions.append((now + latency, lookup))
                case .wakeUp(let at): wake = at
                case .exhausted, .paused, .resumed, .circuitOpened, .circuitClosed, .rateCut, .jobCapped, .budgetExhausted:
                    break
                }
            }
        }
        var nextID: UInt64 = 0
        for (job, count) in jobs.sorted(by: { $0.key < $1.key }) {
            let lookups = (0..<count).map { index -> (id: UInt64, payload: Int) in
                nextID += 1
                return (nextID, index)
            }
            perform(scheduler.enqueue(job: job, lookups: lookups, now: 0))
        }
        while now <= duration {
            completions.sort { $0.0 < $1.0 }
            let nextCompletion = completions.first?.0
            guard let next = [nextCompletion, wake].compactMap({ $0 }).min() else { break }
            now = next
            if nextCompletion == next {
                let (_, lookup) = completions.removeFirst()
                perform(scheduler.completed(lookup, completion(lookup), now: now))
            } else {
                wake = nil
                perform(scheduler.wakeUp(now: now))
            }
        }
        return sent
    }

    @Test func neverExceedsTheRateInAnyWindowAndKeepsItSaturated() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 30, burst: 30, maxInFlight: 16), now: 0)
        let sent = self.simulate(&scheduler, jobs: ["a": 3000], latency: Self.second / 7, duration: 20 * Self.second)
        let times = sent.map(\.time)
        // Any one-second window holds at most burst + rate·1s tokens' worth of sends.
        for (index, start) in times.enumerated() {
            let inWindow = times[index...].prefix { $0 < start + Self.second }.count
            #expect(inWindow <= 60)
        }
        // After the initial burst, the steady state is the configured rate.
        let steady = times.filter { $0 >= 2 * Self.second && $0 < 12 * Self.second }.count
        #expect(steady >= 297 && steady <= 301)
    }

    @Test func maxInFlightBoundsConcurrency() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 4), now: 0)
        let actions = scheduler.enqueue(job: "a", lookups: (1...100).map { ($0, Int($0)) }, now: 0)
        #expect(actions.filter { if case .send = $0 { true } else { false } }.count == 4)
        #expect(scheduler.inFlight == 4)
    }

    @Test func jobsShareTheRateRoundRobin() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 30, burst: 1, maxInFlight: 8), now: 0)
        let sent = self.simulate(&scheduler, jobs: ["big": 100_000, "small": 200], latency: Self.second / 10,
                                 duration: 30 * Self.second)
        let small = sent.filter { $0.lookup.job == "small" }.map(\.time)
        // The small job gets half the rate while both have work: done within ~2·200/30 s.
        #expect(small.count == 200)
        #expect(small.last! < 14 * Self.second)
    }

    @Test func retriesBackOffWithinBoundsAndGiveUp() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 100, maxInFlight: 1, maxAttempts: 4,
                                                  baseDelay: .milliseconds(100), maxDelay: .seconds(1)), now: 0)
        var now: UInt64 = 0
        var actions = scheduler.enqueue(job: "a", lookups: [(1, 1)], now: now)
        var attempts: [UInt64] = []
        var exhausted = false
        for _ in 0..<10 {
            guard let lookup = actions.compactMap({ if case .send(let l) = $0 { l } else { nil } }).first else { break }
            attempts.append(now)
            actions = scheduler.completed(lookup, .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false), now: now)
            if actions.contains(where: { if case .exhausted = $0 { true } else { false } }) { exhausted = true; break }
            guard let wake = actions.compactMap({ if case .wakeUp(let at) = $0 { at } else { nil } }).first else { break }
            let attempt = attempts.count
            #expect(wake - now <= UInt64(min(1_000_000_000, 100_000_000 << (attempt - 1))))
            now = wake
            actions = scheduler.wakeUp(now: now)
        }
        #expect(attempts.count == 4)
        #expect(exhausted)
    }

    @Test func rateLimitedAnswersSlowTheWholeConnectionWithoutUsingAttempts() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 100, burst: 100, maxInFlight: 10, maxAttempts: 1), now: 0)
        let first = scheduler.enqueue(job: "a", lookups: (1...20).map { ($0, Int($0)) }, now: 0)
        let lookup = first.compactMap { if case .send(let l) = $0 { l } else { nil } }.first!
        let after = scheduler.completed(lookup, .retry(reason: "429", notBefore: .seconds(2), rateLimited: true), now: 0)
        #expect(!after.contains { if case .send = $0 { true } else { false } })
        #expect(!after.contains { if case .exhausted = $0 { true } else { false } })
        #expect(after.contains { if case .wakeUp(let at) = $0 { at == 2 * Self.second } else { false } })
        let resumed = scheduler.wakeUp(now: 2 * Self.second)
        #expect(resumed.contains { if case .send = $0 { true } else { false } })
    }

    @Test func pausedConnectionsSendNothingUntilResumed() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 100, maxInFlight: 1), now: 0)
        let first = scheduler.enqueue(job: "a", lookups: [(1, 1), (2, 2)], now: 0)
        let lookup = first.compactMap { if case .send(let l) = $0 { l } else { nil } }.first!
        let paused = scheduler.completed(lookup, .pause(reason: "credits exhausted"), now: 0)
        #expect(paused.contains { if case .paused = $0 { true } else { false } })
        #expect(!paused.contains { if case .send = $0 { true } else { false } })
        #expect(scheduler.pending == 2)
        let resumed = scheduler.resume(now: Self.second)
        let again = resumed.compactMap { if case .send(let l) = $0 { l } else { nil } }
        #expect(again.map(\.id) == [1])
        #expect(again.first?.attempts == 1)
    }

    func sends(_ actions: [Scheduler.Action]) -> [Scheduler.Lookup] {
        actions.compactMap { if case .send(let lookup) = $0 { lookup } else { nil } }
    }

    func capped(_ actions: [Scheduler.Action]) -> [String] {
        actions.compactMap { if case .jobCapped(let job) = $0 { job } else { nil } }
    }

    /// Answers every request in flight at once (an instant server), until nothing more is sent; returns what
    /// was sent and every action seen.
    func drain(_ scheduler: inout Scheduler, _ first: [Scheduler.Action], now: UInt64 = 0,
               completion: (Scheduler.Lookup) -> Scheduler.Completion = { _ in .finished })
        -> (sent: [Scheduler.Lookup], actions: [Scheduler.Action])
    {
        var actions = first, seen = first, sent: [Scheduler.Lookup] = []
        var clock = now
        while true {
            let batch = self.sends(actions)
            sent += batch
            actions = []
            for lookup in batch { actions += scheduler.completed(lookup, completion(lookup), now: clock) }
            if batch.isEmpty {
                // A wake-up (the bucket refilling) is the only other way on.
                guard let wake = seen.reversed().compactMap({ if case .wakeUp(let at) = $0 { at } else { nil } }).first,
                    wake > clock, scheduler.pending > 0, seen.count < 100_000
                else { break }
                clock = wake
                actions = scheduler.wakeUp(now: clock)
            }
            seen += actions
        }
        return (sent, seen)
    }

    @Test func aJobsAllowanceIsNeverExceededUnderConcurrencyAndARaiseResumesIt() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 4), now: 0)
        _ = scheduler.setAllowance(job: "a", remaining: 5, now: 0)
        let first = scheduler.enqueue(job: "a", lookups: (1...20).map { (UInt64($0), $0) }, now: 0)
            + scheduler.enqueue(job: "b", lookups: (21...30).map { (UInt64($0), $0) }, now: 0)
        var (sent, actions) = self.drain(&scheduler, first)
        #expect(sent.filter { $0.job == "a" }.count == 5 && sent.filter { $0.job == "b" }.count == 10)
        #expect(self.capped(actions) == ["a"], "told once")
        #expect(scheduler.outstanding(job: "a") == 15 && scheduler.allowance(job: "a") == 0)
        // Raised by 3: three more, then capped again.
        (sent, actions) = self.drain(&scheduler, scheduler.setAllowance(job: "a", remaining: 3, now: Self.second), now: Self.second)
        #expect(sent.count == 3 && sent.allSatisfy { $0.job == "a" } && self.capped(actions) == ["a"])
        // No cap: the rest.
        (sent, _) = self.drain(&scheduler, scheduler.setAllowance(job: "a", remaining: nil, now: 2 * Self.second), now: 2 * Self.second)
        #expect(sent.count == 12 && scheduler.isIdle)
    }

    @Test func theConnectionsBudgetIsSharedByItsJobsAndRefusedRequestsAreGivenBack() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 8), now: 0)
        _ = scheduler.setBudget(remaining: 7, now: 0)
        let first = scheduler.enqueue(job: "a", lookups: (1...10).map { (UInt64($0), $0) }, now: 0)
            + scheduler.enqueue(job: "b", lookups: (11...20).map { (UInt64($0), $0) }, now: 0)
        // The first answer is a 429: not billed, so it does not count.
        var refused: Set<UInt64> = [1]
        var (sent, actions) = self.drain(&scheduler, first) { lookup in
            refused.remove(lookup.id) != nil ? .retry(reason: "429", notBefore: .milliseconds(1), rateLimited: true) : .finished
        }
        #expect(sent.count == 8 && Set(sent.map(\.id)).count == 7, "7 billed and 1 refused: \(sent.map(\.id))")
        // Told when it ran out, and again when the refund ran out too.
        #expect(actions.contains { if case .budgetExhausted = $0 { true } else { false } })
        #expect(scheduler.budget == 0 && scheduler.pending == 13)
        (sent, _) = self.drain(&scheduler, scheduler.setBudget(remaining: 100, now: Self.second), now: Self.second)
        #expect(sent.count == 13 && Set(sent.map(\.job)) == ["a", "b"] && scheduler.budget == 87)
    }

    @Test func aBulkCallThatWouldCrossACapIsCutToFit() {
        // Payloads are record counts; a call bills its records and is cut into the records that fit and the rest.
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 2), now: 0, billing: .init(
            cost: { $0 }, split: { records, count in (count, records - count) }))
        _ = scheduler.setAllowance(job: "a", remaining: 700, now: 0)
        _ = scheduler.setBudget(remaining: 1_000, now: 0)
        let first = scheduler.enqueue(job: "a", lookups: [(1, 500), (2, 500)], now: 0)
        var (sent, actions) = self.drain(&scheduler, first)
        #expect(sent.map(\.payload) == [500, 200] && self.capped(actions) == ["a"])
        #expect(scheduler.pending == 1 && scheduler.allowance(job: "a") == 0)
        // The job's cap lifted, the budget (300 left) cuts the rest again: 300 of it, never more.
        (sent, actions) = self.drain(&scheduler, scheduler.setAllowance(job: "a", remaining: nil, now: Self.second), now: Self.second)
        #expect(sent.map(\.payload) == [300] && scheduler.budget == 0 && scheduler.pending == 0, "\(sent.map(\.payload))")
    }

    @Test func circuitOpensAfterConsecutiveFailuresProbesHalfOpenAndCloses() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 1, maxAttempts: 10,
                                                  baseDelay: .milliseconds(1), maxDelay: .seconds(60),
                                                  circuitFailureThreshold: 3, circuitOpenDuration: .seconds(5)), now: 0)
        var actions = scheduler.enqueue(job: "a", lookups: (1...50).map { ($0, Int($0)) }, now: 0)
        for _ in 0..<3 {
            let lookup = try! #require(self.sends(actions).first)
            actions = scheduler.completed(lookup, .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false), now: 0)
        }
        #expect(actions.contains { if case .circuitOpened(let until) = $0 { until == 5 * Self.second } else { false } })
        #expect(self.sends(actions).isEmpty)
        #expect(self.sends(scheduler.wakeUp(now: 4 * Self.second)).isEmpty)
        // Half-open: exactly one probe.
        let probe = self.sends(scheduler.wakeUp(now: 5 * Self.second))
        #expect(probe.count == 1)
        #expect(scheduler.circuit == .halfOpen)
        // The probe fails: open again, twice as long.
        let reopened = scheduler.completed(probe[0], .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false),
                                           now: 5 * Self.second)
        #expect(reopened.contains { if case .circuitOpened(let until) = $0 { until == 15 * Self.second } else { false } })
        let secondProbe = self.sends(scheduler.wakeUp(now: 15 * Self.second))
        #expect(secondProbe.count == 1)
        // The probe succeeds: closed, full concurrency again.
        let closed = scheduler.completed(secondProbe[0], .finished, now: 15 * Self.second)
        #expect(closed.contains { if case .circuitClosed = $0 { true } else { false } })
        #expect(self.sends(closed).count == 1)
        #expect(scheduler.circuit == .closed)
    }

    @Test func aPausedConnectionProbesPeriodicallyAndResumesOnSuccess() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 100, burst: 100, maxInFlight: 4,
                                                  probeInterval: .seconds(60)), now: 0)
        let first = self.sends(scheduler.enqueue(job: "a", lookups: (1...20).map { ($0, Int($0)) }, now: 0))
        var actions = scheduler.completed(first[0], .pause(reason: "credits exhausted"), now: 0)
        for lookup in first.dropFirst() { actions += scheduler.completed(lookup, .pause(reason: "credits exhausted"), now: 0) }
        #expect(actions.contains { if case .wakeUp(let at) = $0 { at == 60 * Self.second } else { false } })
        #expect(self.sends(actions).isEmpty)
        let probe = self.sends(scheduler.wakeUp(now: 60 * Self.second))
        #expect(probe.count == 1)
        let stillPaused = scheduler.completed(probe[0], .pause(reason: "credits exhausted"), now: 60 * Self.second)
        #expect(stillPaused.contains { if case .wakeUp(let at) = $0 { at == 120 * Self.second } else { false } })
        #expect(scheduler.isPaused)
        let secondProbe = self.sends(scheduler.wakeUp(now: 120 * Self.second))
        let resumed = scheduler.completed(secondProbe[0], .finished, now: 120 * Self.second)
        #expect(resumed.contains { if case .resumed = $0 { true } else { false } })
        #expect(!scheduler.isPaused)
        #expect(self.sends(resumed).count == 4)
        #expect(scheduler.pending == 20 - 1 - 4)
    }

    @Test func rateLimitedBurstsCutTheRateOnceAndSuccessesRestoreIt() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 100, burst: 100, maxInFlight: 10), now: 0)
        let first = self.sends(scheduler.enqueue(job: "a", lookups: (1...1000).map { ($0, Int($0)) }, now: 0))
        var cuts: [Double] = []
        for lookup in first.prefix(5) {
            for action in scheduler.completed(lookup, .retry(reason: "429", notBefore: .seconds(1), rateLimited: true), now: 0) {
                if case .rateCut(let factor) = action { cuts.append(factor) }
            }
        }
        #expect(abs(scheduler.rateFactor - 0.8) < 1e-9)
        #expect(cuts == [scheduler.rateFactor], "one cut reported (the daemon logs it with HTTP_STATUS=429)")
        for lookup in first.dropFirst(5) { _ = scheduler.completed(lookup, .finished, now: 2 * Self.second) }
        #expect(scheduler.rateFactor > 0.8 && scheduler.rateFactor <= 1)
    }

    /// A removed job (cancelled, or the daemon is stopping) sends nothing more: its requests still in flight
    /// complete, but one that fails, is rate limited or meets a pause is not tried again. Another job's lookups
    /// and a later enqueue under the same id are not affected.
    @Test func aRemovedJobsFailedRequestsAreNotTriedAgain() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 4, maxAttempts: 5,
                                                  baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)), now: 0)
        let inFlight = self.sends(scheduler.enqueue(job: "gone", lookups: (1...10).map { ($0, Int($0)) }, now: 0))
        #expect(inFlight.count == 4)
        #expect(self.sends(scheduler.removeJob("gone", now: 0)).isEmpty)
        var actions = scheduler.completed(inFlight[0], .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false), now: 1)
        actions += scheduler.completed(inFlight[1], .retry(reason: "429", notBefore: nil, rateLimited: true), now: 1)
        actions += scheduler.completed(inFlight[2], .pause(reason: "HTTP 401"), now: 1)
        actions += scheduler.resume(now: 1)
        actions += scheduler.completed(inFlight[3], .finished, now: 1)
        actions += scheduler.wakeUp(now: 10 * Self.second)
        #expect(self.sends(actions).isEmpty)
        #expect(!actions.contains { if case .exhausted = $0 { true } else { false } })
        #expect(scheduler.isIdle)

        // The same id enqueued again (a retried job) is a new job: its failures are retried as usual.
        let again = self.sends(scheduler.enqueue(job: "gone", lookups: [(11, 11)], now: 10 * Self.second))
        #expect(again.count == 1)
        let retried = scheduler.completed(again[0], .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false),
                                          now: 10 * Self.second)
        #expect(scheduler.pending == 1, "\(retried)")
    }

    /// Closed for a shutdown: queued lookups are dropped, requests in flight complete but are not tried again,
    /// and nothing enqueued later (a hand-over between stopping jobs) is sent.
    @Test func aClosedSchedulerSendsNothingMore() {
        var scheduler = Scheduler(settings: .init(ratePerSecond: 1000, burst: 1000, maxInFlight: 3, maxAttempts: 5,
                                                  baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)), now: 0)
        let inFlight = self.sends(scheduler.enqueue(job: "a", lookups: (1...10).map { ($0, Int($0)) }, now: 0))
        #expect(inFlight.count == 3)
        scheduler.close()
        #expect(scheduler.pending == 0 && scheduler.inFlight == 3)
        var actions = scheduler.completed(inFlight[0], .retry(reason: "HTTP 503", notBefore: nil, rateLimited: false), now: 1)
        actions += scheduler.completed(inFlight[1], .retry(reason: "429", notBefore: nil, rateLimited: true), now: 1)
        actions += scheduler.enqueue(job: "b", lookups: [(11, 11)], now: 1)
        actions += scheduler.completed(inFlight[2], .finished, now: 1)
        actions += scheduler.wakeUp(now: 10 * Self.second)
        #expect(self.sends(actions).isEmpty)
        #expect(scheduler.isIdle)
    }
}
