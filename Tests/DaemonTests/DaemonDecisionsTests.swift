import Foundation
import Jobs
import Logging
import Spool
import Testing

@testable import EnrichDaemon

/// The daemon's decisions as pure functions: the status line, the reload plan, recovery at start, cancel
/// requests and the watchdog. No processes, no clocks, no sleeps.
struct StatusLineTests {
    static func job(_ name: String, connection: String = "default", answered: Int, of lookups: Int, rate: Double,
                    started: String) -> StatusLine.ActiveJob {
        .init(connection: connection, progress: ProgressReport(
            id: name, name: name, outputTable: "T", connection: connection, phase: .enriching, rows: lookups,
            inScope: lookups, lookups: lookups, answered: answered, lookupsPerSecond: rate, startedAt: started,
            updatedAt: started))
    }

    @Test func idleSaysHowManyAreQueued() {
        #expect(StatusLine(queued: 2).text == "idle, 2 queued")
    }

    @Test func activeShowsTheOldestJobAndTheTotalRate() {
        let line = StatusLine(queued: 1, active: [
            Self.job("later", answered: 1, of: 10, rate: 2.5, started: "2026-12-02T02:00:01.000Z"),
            Self.job("first", answered: 1234, of: 5000, rate: 10, started: "2026-12-02T02:00:00.000Z"),
        ])
        #expect(line.text == "2 active, 1 queued; first 24% (1,234/5,000), 12.5 lookups/s")
    }

    @Test func onlyPausesThatHoldUpAJobAreShown() {
        var line = StatusLine(queued: 0, active: [Self.job("a", answered: 0, of: 1, rate: 0, started: "x")],
                              pausedConnections: ["other": "Leadspace credits exhausted (HTTP 427)"])
        #expect(line.text.hasPrefix("1 active, 0 queued; a 0%"))
        line.pausedConnections["default"] = "Leadspace refused the credentials (HTTP 401)"
        #expect(line.text == "paused: Leadspace refused the credentials (HTTP 401) (connection default); 1 active, 0 queued")
    }

    @Test func strandedJobsAreShownUntilTheNextStart() {
        #expect(StatusLine(queued: 0, stranded: 2).text
            == "idle, 0 queued; 2 stranded in active/ (see journal; restart after fixing the spool's permissions)")
    }

    @Test func stoppingSaysTheJobsResume() {
        let line = StatusLine(stopping: true, queued: 3, active: [Self.job("a", answered: 0, of: 1, rate: 0, started: "x")])
        #expect(line.text == "stopping, 1 active job(s) will resume on next start")
    }
}

struct ReloadPlanTests {
    static func configuration(_ connections: [String: Double], spool: String = "/spool", cache: String = "/c.sqlite")
        -> DaemonConfiguration
    {
        var configuration = DaemonConfiguration()
        configuration.spool = spool
        configuration.cache.path = cache
        for (name, rate) in connections {
            var connection = ConnectionConfiguration()
            connection.ratePerSecond = rate
            configuration.connections[name] = connection
        }
        return configuration
    }

    @Test func settingsAndNewConnectionsApplyNow() {
        let running = Self.configuration(["a": 10])
        var loaded = Self.configuration(["a": 20, "b": 5])
        loaded.logLevel = "debug"
        let plan = ReloadPlan(running: running, loaded: loaded, spoolOverridden: false, credentialed: ["a", "b"])
        #expect(plan.later.isEmpty)
        #expect(plan.reloaded == ["a"])
        #expect(plan.added == ["b"])
        #expect(plan.configuration.connections["a"]?.ratePerSecond == 20)
        #expect(plan.configuration.logLevel == "debug")
    }

    @Test func spoolCacheAndRemovalWaitForTheNextStart() {
        let running = Self.configuration(["a": 10, "gone": 1])
        let loaded = Self.configuration(["a": 10], spool: "/elsewhere", cache: "/other.sqlite")
        let plan = ReloadPlan(running: running, loaded: loaded, spoolOverridden: false, credentialed: ["a"])
        #expect(plan.later == ["spool", "cache", "removing connection \"gone\""])
        #expect(plan.configuration.spool == "/spool")
        #expect(plan.configuration.cache.path == "/c.sqlite")
        #expect(plan.configuration.connections["gone"] != nil, "a removed connection runs on until the restart")
        #expect(plan.reloaded == ["a"])
    }

    @Test func aSpoolFromTheCommandLineIsNotAChange() {
        let plan = ReloadPlan(running: Self.configuration([:]), loaded: Self.configuration([:], spool: "/file"),
                              spoolOverridden: true, credentialed: [])
        #expect(plan.later.isEmpty)
        #expect(plan.configuration.spool == "/spool")
    }

    @Test func aConnectionWithoutCredentialsIsNeitherReloadedNorAdded() {
        let plan = ReloadPlan(running: Self.configuration(["a": 1]), loaded: Self.configuration(["a": 2, "b": 3]),
                              spoolOverridden: false, credentialed: [])
        #expect(plan.reloaded.isEmpty && plan.added.isEmpty)
    }
}

struct RecoveryDecisionTests {
    /// A `kill -9` in the middle of a progress write leaves `.progress.json.tmp`; the job resumes without it
    /// (it would otherwise travel on to done/), its files untouched.
    @Test func aResumedJobLosesTheTemporariesOfInterruptedWrites() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let layout = SpoolLayout(root: root)
        try layout.create()
        let job = JobDirectory(layout.active("j1"))
        try FileManager.default.createDirectory(atPath: job.path, withIntermediateDirectories: true)
        for (name, contents) in [("job.json", "{}"), ("progress.json", "{}"), (".progress.json.tmp", "{\"id"), (".tmp", "x")] {
            #expect(FileManager.default.createFile(atPath: job.file(name), contents: Data(contents.utf8)))
        }
        let resumed = Recovery(layout: layout, logger: Logger(label: "test")).jobsToResume()
        #expect(resumed == ["j1"])
        let left = try FileManager.default.contentsOfDirectory(atPath: job.path).sorted()
        #expect(left == [".tmp", "job.json", "progress.json", "starts"], "\(left)")
    }

    @Test func aStrayFileIsLeftAlone() {
        #expect(RecoveryDecision.decide(id: "x", isDirectory: false, hasJobFile: false, isEmpty: false, starts: { 1 }) == .skip)
    }

    @Test func anInterruptedClaimIsRemovedWithoutCountingAStart() {
        var counted = false
        let decision = RecoveryDecision.decide(id: "x", isDirectory: true, hasJobFile: false, isEmpty: true) {
            counted = true
            return 1
        }
        #expect(decision == .removeEmptyClaim)
        #expect(!counted)
    }

    @Test(arguments: 1...RecoveryDecision.maximumStartsWhileActive)
    func aJobResumesUpToTheLimit(starts: Int) {
        #expect(RecoveryDecision.decide(id: "x", isDirectory: true, hasJobFile: true, isEmpty: false, starts: { starts })
            == .resume(starts: starts))
    }

    @Test func pastTheLimitItIsSetAsideAsAPoisonJob() {
        let decision = RecoveryDecision.decide(id: "j1", isDirectory: true, hasJobFile: true, isEmpty: false) {
            RecoveryDecision.maximumStartsWhileActive + 1
        }
        guard case .setAside(let error) = decision else {
            Issue.record("expected setAside, got \(decision)")
            return
        }
        #expect(error.code == .poisonJob)
        #expect(error.hint?.contains("enrichctl retry j1") == true)
    }
}

struct CancelDecisionTests {
    static let daemon: uid_t = 990
    static func request(by uid: uid_t?, at seconds: Int) -> CancelRequest {
        CancelRequest(id: "j", requester: uid, requestedAt: timespec(tv_sec: seconds, tv_nsec: 0))
    }
    static func at(_ seconds: Int) -> timespec { timespec(tv_sec: seconds, tv_nsec: 0) }

    @Test func onlyRootTheDaemonOrTheSubmitterMayCancel() {
        for uid: uid_t in [0, Self.daemon, 1001] {
            #expect(CancelDecision.decide(Self.request(by: uid, at: 10), daemonUID: Self.daemon, submitter: 1001,
                                          activeSince: .some(nil), queued: nil) == .cancelActive)
        }
        #expect(CancelDecision.decide(Self.request(by: 1002, at: 10), daemonUID: Self.daemon, submitter: 1001,
                                      activeSince: .some(nil), queued: nil) == .refused)
        #expect(CancelDecision.decide(Self.request(by: nil, at: 10), daemonUID: Self.daemon, submitter: 1001,
                                      activeSince: .some(nil), queued: nil) == .refused)
    }

    @Test func aRequestOlderThanTheJobIsStale() {
        #expect(CancelDecision.decide(Self.request(by: 0, at: 10), daemonUID: Self.daemon, submitter: nil,
                                      activeSince: .some(Self.at(11)), queued: nil) == .stale)
        #expect(CancelDecision.decide(Self.request(by: 0, at: 10), daemonUID: Self.daemon, submitter: nil,
                                      activeSince: nil, queued: ("j.json", Self.at(11))) == .stale)
        #expect(CancelDecision.decide(Self.request(by: 0, at: 12), daemonUID: Self.daemon, submitter: nil,
                                      activeSince: nil, queued: ("j.json", Self.at(11))) == .cancelQueued(entry: "j.json"))
    }

    @Test func aRequestForNoQueuedOrActiveJobCancelsNothing() {
        #expect(CancelDecision.decide(Self.request(by: 0, at: 10), daemonUID: Self.daemon, submitter: nil,
                                      activeSince: nil, queued: nil) == .noSuchJob)
    }
}

struct WatchdogTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aSchedulerIsStalledOnlyWithRequestsOutstandingAndNoTurnForAWholeWindow() {
        let window = 10 * Self.second
        #expect(Watchdog.stalled(inFlight: 3, paused: false, lastTurn: 0, now: window + 1, window: window))
        #expect(!Watchdog.stalled(inFlight: 3, paused: false, lastTurn: 1, now: window, window: window))
        #expect(!Watchdog.stalled(inFlight: 0, paused: false, lastTurn: 0, now: 5 * window, window: window), "idle")
        #expect(!Watchdog.stalled(inFlight: 3, paused: true, lastTurn: 0, now: 5 * window, window: window), "paused")
        #expect(!Watchdog.stalled(inFlight: 3, paused: false, lastTurn: 5 * window, now: window, window: window),
                "a turn marked after the clock was read")
    }

    @Test func anIdleLoopPingsOnlyWhileTheControlQueueBeatsLately() {
        let window = 10 * Self.second, period = window / 2
        let limit = Watchdog.heartbeatTicks * period + window
        #expect(Watchdog.heartbeatIsRecent(now: 100 * Self.second + limit, beat: 100 * Self.second, period: period, window: window))
        #expect(!Watchdog.heartbeatIsRecent(now: 100 * Self.second + limit + 1, beat: 100 * Self.second, period: period,
                                            window: window))
    }

    @Test func marksFollowTheClock() {
        let clock = ManualUptime()
        let watchdog = Watchdog(clock: clock)
        clock.advance(seconds: 3)
        watchdog.markTurn()
        #expect(watchdog.lastTurnNanoseconds == clock.nanoseconds)
    }
}

struct SharedLookupsTests {
    /// A request whose sink is never called here: these tests check where answers would go, not delivery.
    static func request(_ key: String, job: String) -> LookupRequest {
        LookupRequest(sink: LookupSink(jobID: job) { _ in }, key: key, record: .init(company: nil, externalID: key))
    }

    @Test func aSecondJobWaitsForTheFirstJobsLookupAndGetsItsAnswer() {
        let shared = SharedLookups(clock: ManualUptime())
        let a = Self.request("k", job: "a"), b = Self.request("k", job: "b")
        #expect(shared.claim([a]).send.count == 1)
        #expect(shared.claim([b]).send.isEmpty, "b waits")
        let sinks = shared.answered(key: "k", by: a.sink, answer: CompanyAnswer(status: .enriched, answeredAt: "t"))
        #expect(sinks.map(\.jobID) == ["a", "b"])
    }

    @Test func theMemoServesLateJobsForAnHourOfVirtualTime() {
        let clock = ManualUptime()
        let shared = SharedLookups(clock: clock)
        let a = Self.request("k", job: "a")
        _ = shared.claim([a])
        _ = shared.answered(key: "k", by: a.sink, answer: CompanyAnswer(status: .notEnriched, answeredAt: "t"))
        clock.advance(seconds: 3599)
        let late = shared.claim([Self.request("k", job: "c")])
        #expect(late.send.isEmpty && late.settled.first?.answer.source == "cache")
        let retried = shared.claim([Self.request("k", job: "a")])
        #expect(retried.settled.first?.answer.source == "lookup", "the job that bought it keeps it as its own")
        clock.advance(seconds: 2)
        #expect(shared.claim([Self.request("k", job: "d")]).send.count == 1, "the memo expired")
    }

    @Test func aLeavingOwnerHandsItsLookupToTheFirstWaiter() {
        let shared = SharedLookups(clock: ManualUptime())
        _ = shared.claim([Self.request("k", job: "a")])
        _ = shared.claim([Self.request("k", job: "b")])
        let handed = shared.release(job: "a")
        #expect(handed.map(\.jobID) == ["b"])
    }
}

struct PublishedProgressTests {
    @Test func theRateCountsTheLastFiveSecondsOfVirtualTime() {
        let clock = ManualUptime()
        let progress = PublishedProgress(clock: clock)
        clock.advance(seconds: 10)
        for _ in 0..<50 {
            clock.advance(seconds: 0.1)
            progress.update(answered: true) { $0.answered += 1 }
        }
        #expect(progress.report(id: "j", startedAt: Date()).lookupsPerSecond == 10)
        clock.advance(seconds: 5)
        #expect(progress.report(id: "j", startedAt: Date()).lookupsPerSecond == 0)
        #expect(progress.report(id: "j", startedAt: Date()).answered == 50)
    }

    @Test func aYoungJobsRateIsOverItsAgeButAtLeastHalfASecond() {
        let clock = ManualUptime()
        let progress = PublishedProgress(clock: clock)
        progress.update(answered: true) { $0.answered += 1 }
        #expect(progress.report(id: "j", startedAt: Date()).lookupsPerSecond == 2)
        clock.advance(seconds: 2)
        progress.update(answered: true) { $0.answered += 1 }
        #expect(progress.report(id: "j", startedAt: Date()).lookupsPerSecond == 1)
    }
}

/// `result.json`'s lookup counters add up, also for a job whose earlier run failed before it saved its request
/// counters (the answers it bought are in the ledger; the counters of that run are lost).
struct LookupCountersTests {
    static func answer(_ status: CompanyAnswer.Status, source: String = "lookup") -> CompanyAnswer {
        CompanyAnswer(status: status, source: source, answeredAt: "t")
    }

    @Test func everyDistinctLookupEndsOneWay() {
        var lookups = ResultSummary.Lookups()
        lookups.sent = 0  // the failed run's counters were never saved
        lookups.settle(answers: [Self.answer(.enriched), Self.answer(.notEnriched), Self.answer(.enriched, source: "cache"),
                                 Self.answer(.error), Self.answer(.invalidInput), nil])
        #expect(lookups.distinctKeys == 6)
        #expect(lookups.paid == 2 && lookups.cacheHits == 1 && lookups.failed == 2 && lookups.unanswered == 1)
        #expect(lookups.sent == 2, "every bought answer was sent at least once")
        #expect(lookups.addsUp)
    }

    @Test func sentCountsRetriesBeyondWhatWasBought() {
        var lookups = ResultSummary.Lookups()
        lookups.sent = 5
        lookups.settle(answers: [Self.answer(.enriched)])
        #expect(lookups.sent == 5 && lookups.paid == 1 && lookups.addsUp)
    }

    @Test func unsettledCountersDoNotClaimToAddUp() {
        #expect(!ResultSummary.Lookups().addsUp)
    }
}
