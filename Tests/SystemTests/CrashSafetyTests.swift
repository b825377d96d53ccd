import SplitMix
import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Crash safety on real processes (issue 4): `kill -9` at random moments, a SIGTERM in the middle of a job,
/// configuration reloads with SIGHUP, and a spool on a full filesystem. Each test runs the real daemon against
/// its own sandbox, spool and tokens; outputs are compared with an uninterrupted run of the same job.
///
/// Serialized: the tests are CPU-heavy (a debug daemon and sandbox each), and the kill test's random moments
/// should fall while the job is busy, not while the machine is busy with another test.
@Suite(.serialized) struct CrashSafetyTests {
    static let maxInFlight = 16

    // MARK: - 1. kill -9 at random moments

    @Test func killedAtRandomMomentsTheJobFinishesWithTheSameOutputAndBoundedExtraBilling() throws {
        let directory = try TemporaryDirectory("enrichd-kill")
        defer { if !keepTestDirectories { directory.remove() } }
        let seed = 11, companies = 6000, accounts = 5000
        let sandboxOptions = ["--rate", "400", "--latency-ms", "20", "--latency-jitter-ms", "10"]
        let bundle = directory.file("bundle")
        try SampleBundle.write(to: bundle, seed: seed, companies: companies, accounts: accounts, name: "Kill test")

        let reference = try Self.runUninterrupted(in: directory, name: "reference", bundle: bundle, seed: seed,
                                                  companies: companies, sandboxOptions: sandboxOptions,
                                                  ratePerSecond: 400, id: "kill")

        let world = try SystemWorld(in: directory, name: "killed", seed: seed, companies: companies,
                              sandboxOptions: sandboxOptions)
        defer { world.stop() }
        try world.configure(ratePerSecond: 400, maxInFlight: Self.maxInFlight)
        let id = "kill"
        try world.submit(bundle + "/job.json", id: id)

        let killTarget = 20
        let killSeed: UInt64 = 0x4B11_1E55
        var generator = SplitMix64(seed: killSeed)
        let ledger = world.layout.active(id) + "/answers.jsonl"
        var kills = 0
        var baseline = 0
        var trace: [String] = []
        var daemon = try world.startDaemon()
        defer { daemon.stop() }
        killing: while kills < killTarget {
            // Only kill after this incarnation has recorded new answers: the poison-job guard counts starts
            // without progress, and a kill test must never look like a crash loop.
            switch Self.waitForLedger(ledger, above: baseline, id: id, layout: world.layout, daemon: daemon) {
            case .grew:
                break
            case .finished:
                break killing
            case .daemonExited(let status):
                Issue.record("enrichd exited on its own (status \(status)) after \(kills) kills; trace: \(trace); log:\n\(daemon.logTail())")
                return
            case .timedOut:
                Issue.record("the ledger did not grow past \(baseline) within 60 s after \(kills) kills; spool:\n\(SpoolInspection.listing(world.layout.root))\nlog:\n\(daemon.logTail())")
                return
            }
            let delay = Int.random(in: 50...400, using: &generator)
            usleep(UInt32(delay) * 1000)  // the random kill moment itself, not a synchronisation
            let before = LedgerFile.lineCount(ledger)
            daemon.kill9()
            kills += 1
            #expect(daemon.child.endedBySignal && daemon.child.process.terminationStatus == SIGKILL)
            if FileManager.default.fileExists(atPath: world.layout.done(id)) { break }
            baseline = LedgerFile.lineCount(ledger)
            trace.append("kill \(kills) after \(delay) ms: ledger \(before) → \(baseline)")
            daemon = try world.startDaemon()
        }
        #expect(kills >= killTarget, "the job finished after only \(kills) kills (kill seed \(killSeed)); trace: \(trace)")

        // One more in the write phase: every answer recorded, the output table being written. The ledger grew
        // since the last start, so this is not a start without progress either.
        if daemon.child.isRunning, !FileManager.default.fileExists(atPath: world.layout.done(id)) {
            let complete = Self.waitForLedger(ledger, above: reference.distinctKeys - 1, id: id, layout: world.layout,
                                              daemon: daemon, timeout: 120)
            if complete == .grew {
                let delay = Int.random(in: 0...60, using: &generator)
                usleep(UInt32(delay) * 1000)
                daemon.kill9()
                kills += 1
                let inWritePhase = !FileManager.default.fileExists(atPath: world.layout.done(id))
                trace.append("kill \(kills) \(delay) ms after the ledger was complete (\(inWritePhase ? "in the write phase" : "too late: already done"))")
                daemon = try world.startDaemon()
            } else {
                #expect(complete == .finished, "\(complete); log:\n\(daemon.logTail())")
            }
        }

        // The last incarnation finishes the job undisturbed.
        let outcome = try SpoolWaiter.wait(for: id, in: world.layout, timeout: 300)
        try #require(outcome == .done, "job ended \(outcome) after \(kills) kills; trace: \(trace)\nspool:\n\(SpoolInspection.listing(world.layout.root))\nlog:\n\(daemon.logTail(40))")
        if daemon.child.isRunning {
            daemon.child.signal(SIGTERM)
            #expect(daemon.child.wait(timeout: 30) == 0, "log:\n\(daemon.logTail())")
        }

        let killed = try FinishedJob(done: world.layout.done(id), sandbox: world.sandbox)
        try Self.expectSameOutcome(killed, as: reference, input: bundle + "/accounts.csv", context: "after \(kills) kills")
        #expect(!FileManager.default.fileExists(atPath: world.layout.failed(id)))
        // Billing: every distinct lookup was paid for at least once; each kill can waste at most the requests
        // that were in flight when it struck.
        let distinct = killed.distinctKeys
        #expect(reference.billed == reference.distinctKeys)
        #expect(killed.billed >= distinct)
        #expect(killed.billed - distinct <= Self.maxInFlight * kills,
                "billed \(killed.billed) for \(distinct) distinct lookups over \(kills) kills (allowed extra \(Self.maxInFlight * kills)); trace: \(trace)")
        // The ledger holds one line per distinct lookup: nothing answered twice was recorded twice.
        #expect(killed.ledgerKeys.count == distinct, "ledger lines \(killed.ledgerKeys.count), distinct \(distinct)")
        #expect(Set(killed.ledgerKeys).count == distinct)
        print("kill test: \(kills) kills, \(distinct) distinct lookups, billed \(killed.billed) (extra \(killed.billed - distinct)); \(trace.joined(separator: "; "))")
    }

    // MARK: - 2. SIGTERM in the middle of a job

    @Test func sigtermDuringAJobDrainsExitsZeroAndARestartFinishesIt() throws {
        let directory = try TemporaryDirectory("enrichd-term")
        defer { if !keepTestDirectories { directory.remove() } }
        let seed = 23, companies = 3000, accounts = 2000
        let sandboxOptions = ["--rate", "300", "--latency-ms", "20", "--latency-jitter-ms", "10"]
        let bundle = directory.file("bundle")
        try SampleBundle.write(to: bundle, seed: seed, companies: companies, accounts: accounts, name: "Term test")
        let reference = try Self.runUninterrupted(in: directory, name: "reference", bundle: bundle, seed: seed,
                                                  companies: companies, sandboxOptions: sandboxOptions,
                                                  ratePerSecond: 300, id: "term")

        let world = try SystemWorld(in: directory, name: "stopped", seed: seed, companies: companies,
                              sandboxOptions: sandboxOptions)
        defer { world.stop() }
        try world.configure(ratePerSecond: 300, maxInFlight: Self.maxInFlight)
        let id = "term"
        let drainTimeout = 5
        let first = try world.startDaemon(arguments: ["--drain-timeout", "\(drainTimeout)"])
        defer { first.stop() }
        try world.submit(bundle + "/job.json", id: id)
        let ledger = world.layout.active(id) + "/answers.jsonl"
        // Mid-job: a good part answered, most still to go.
        let growth = Self.waitForLedger(ledger, above: 200, id: id, layout: world.layout, daemon: first)
        try #require(growth == .grew, "\(growth); log:\n\(first.logTail())")
        let answeredBeforeStop = LedgerFile.lineCount(ledger)

        first.child.signal(SIGTERM)
        let status = first.child.wait(timeout: Double(drainTimeout) + 25)
        try #require(status != nil, "enrichd still running \(drainTimeout + 25) s after SIGTERM; log:\n\(first.logTail())")
        #expect(status == 0 && first.child.process.terminationReason == .exit, "log:\n\(first.logTail())")
        let stopping = first.notifications.next(until: { $0.contains("STOPPING=1") }, timeout: 5)
        #expect(stopping != nil, "no STOPPING=1 datagram")

        // Stopped, not finished: the job waits in active/ with its ledger.
        #expect(FileManager.default.fileExists(atPath: world.layout.active(id) + "/job.json"))
        #expect(!FileManager.default.fileExists(atPath: world.layout.done(id)))
        #expect(!FileManager.default.fileExists(atPath: world.layout.failed(id)))
        let answeredAtStop = LedgerFile.lineCount(ledger)
        #expect(answeredAtStop >= answeredBeforeStop)
        #expect(answeredAtStop < reference.distinctKeys, "the job finished before SIGTERM; nothing was tested")

        let second = try world.startDaemon()
        defer { second.stop() }
        let outcome = try SpoolWaiter.wait(for: id, in: world.layout, timeout: 300)
        try #require(outcome == .done, "\(outcome); spool:\n\(SpoolInspection.listing(world.layout.root))\nlog:\n\(second.logTail(40))")
        second.child.signal(SIGTERM)
        #expect(second.child.wait(timeout: 30) == 0)

        let resumed = try FinishedJob(done: world.layout.done(id), sandbox: world.sandbox)
        try Self.expectSameOutcome(resumed, as: reference, input: bundle + "/accounts.csv", context: "after SIGTERM and restart")
        // The drain let in-flight requests finish and recorded their answers, so nothing was paid for twice.
        #expect(resumed.billed == resumed.distinctKeys,
                "billed \(resumed.billed) for \(resumed.distinctKeys) distinct lookups (ledger at stop: \(answeredAtStop)); first log:\n\(first.logTail())")
        // result.json reports what both runs paid, not only the resumed one's requests.
        #expect((resumed.result["lookups"] as? [String: Any])?["sent"] as? Int == resumed.billed)
        #expect(Set(resumed.ledgerKeys).count == resumed.ledgerKeys.count)
        #expect(!first.log.contains(world.tokens[0]) && !second.log.contains(world.tokens[0]))
    }

    // MARK: - 3. SIGHUP with a valid and an invalid configuration

    @Test func sighupReloadsAValidConfigurationAndKeepsTheOldOneOnAnInvalidOne() throws {
        let directory = try TemporaryDirectory("enrichd-hup")
        defer { if !keepTestDirectories { directory.remove() } }
        let seed = 31, companies = 2000
        let bundle = directory.file("bundle")
        try SampleBundle.write(to: bundle, seed: seed, companies: companies, accounts: 50, connection: "second",
                               name: "Second connection")
        let world = try SystemWorld(in: directory, name: "hup", seed: seed, companies: companies,
                              sandboxOptions: ["--rate", "500", "--latency-ms", "2", "--latency-jitter-ms", "1"],
                              tokenCount: 2)
        defer { world.stop() }
        try world.configure(connections: ["default": 0], ratePerSecond: 300, maxInFlight: 8)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }

        // Before the reload, "second" is not configured.
        try world.submit(bundle + "/job.json", id: "before-reload")
        #expect(try SpoolWaiter.wait(for: "before-reload", in: world.layout, timeout: 60) == .failed)
        let unknown = try SpoolInspection.jsonObject(world.layout.failed("before-reload") + "/error.json")
        #expect(unknown["code"] as? String == "unknownConnection", "\(unknown)")

        // A valid configuration adding "second" (with its own token file) takes effect on SIGHUP.
        try world.configure(connections: ["default": 0, "second": 1], ratePerSecond: 300, maxInFlight: 8)
        let valid = try Self.reload(daemon)
        #expect(valid.ready.contains("STATUS="), "READY after reload without STATUS: \(valid.ready)")
        #expect(daemon.child.isRunning)
        try world.submit(bundle + "/job.json", id: "after-valid-reload")
        let afterValid = try SpoolWaiter.wait(for: "after-valid-reload", in: world.layout, timeout: 120)
        #expect(afterValid == .done, "\(afterValid); log:\n\(daemon.logTail())")
        if afterValid == .done {
            let result = try SpoolInspection.jsonObject(world.layout.done("after-valid-reload") + "/result.json")
            #expect(result["connection"] as? String == "second")
            #expect((result["customers"] as? [String: Any])?["enriched"] as? Int ?? 0 > 0, "\(result)")
        }

        // logLevel takes effect at once; a new cache and a removed connection wait for a restart, and say so.
        let debugLine = "planning: reading the job's files"
        #expect(!daemon.log.contains(debugLine), "a debug line at level info")
        try world.writeConfiguration(DaemonConfigurationText.render(
            spool: world.layout.root,
            members: #""logLevel": "debug", "cache": {"path": "\#(world.file("cache.sqlite"))"}"#,
            connections: [.init(name: "second", baseURL: world.sandbox.baseURL, tokenFile: world.tokenFile(1),
                                ratePerSecond: 300, maxInFlight: 8)]))
        _ = try Self.reload(daemon)
        #expect(daemon.log.contains("log level is now debug"), "\(daemon.logTail())")
        #expect(daemon.log.contains("take effect at the next start (systemctl restart enrichd): cache, removing connection \"default\""),
                "\(daemon.logTail())")
        try world.submit(bundle + "/job.json", id: "after-debug-reload")
        #expect(try SpoolWaiter.wait(for: "after-debug-reload", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(daemon.log.contains(debugLine), "\(daemon.logTail())")
        #expect(!FileManager.default.fileExists(atPath: world.file("cache.sqlite")), "the cache waits for a restart")

        // Invalid JSON: still RELOADING=1 then READY=1, the daemon keeps running on the old configuration.
        let rejectedBefore = daemon.log.components(separatedBy: "new configuration rejected, keeping the old one").count
        try world.writeConfiguration("{\"spool\": \"\(world.layout.root)\", \"connections\": {\"default\": ")
        _ = try Self.reload(daemon)
        #expect(daemon.child.isRunning)
        let rejectedAfter = daemon.log.components(separatedBy: "new configuration rejected, keeping the old one").count
        #expect(rejectedAfter == rejectedBefore + 1, "stderr does not say the configuration was rejected:\n\(daemon.logTail())")
        try world.submit(bundle + "/job.json", id: "after-invalid-reload")
        let afterInvalid = try SpoolWaiter.wait(for: "after-invalid-reload", in: world.layout, timeout: 120)
        #expect(afterInvalid == .done, "\(afterInvalid); log:\n\(daemon.logTail())")
        if afterInvalid == .done {
            let result = try SpoolInspection.jsonObject(world.layout.done("after-invalid-reload") + "/result.json")
            #expect(result["connection"] as? String == "second")
        }

        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 30) == 0)
        #expect(!daemon.log.contains(world.tokens[0]) && !daemon.log.contains(world.tokens[1]))
    }

    // MARK: - 4. A full filesystem

    /// How full the spool gets: a 3,000-account job needs ~0.3 MB for its data, ~1.7 MB of ledger, ~0.9 MB of
    /// output table.
    enum FullSpool: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// 2 MB: the ledger fits, the output table does not.
        case outputsDoNotFit = "2m"
        /// 1 MB: the ledger itself does not fit.
        case ledgerDoesNotFit = "1m"

        var testDescription: String { "\(self) (tmpfs size=\(self.rawValue))" }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs as the spool needs root"),
          arguments: FullSpool.allCases)
    func aFullSpoolFailsTheJobCleanlyAndTheDaemonCarriesOn(_ full: FullSpool) throws {
        let directory = try TemporaryDirectory("enrichd-full")
        defer { if !keepTestDirectories { directory.remove() } }
        let seed = 41, companies = 4000
        let big = directory.file("big"), small = directory.file("small")
        try SampleBundle.write(to: big, seed: seed, companies: companies, accounts: 3000, name: "Too big")
        try SampleBundle.write(to: small, seed: seed, companies: companies, accounts: 50, name: "Small")
        let spool = directory.file("spool")
        let mount = try Tmpfs(at: spool, size: full.rawValue)
        defer { mount.unmount() }
        let world = try Self.fastWorld(in: directory, name: "full", seed: seed, companies: companies, spool: spool)
        defer { world.stop() }
        let daemon = try world.startDaemon()
        defer { daemon.stop() }

        try world.submit(big + "/job.json", id: "big")
        let outcome = try SpoolWaiter.wait(for: "big", in: world.layout, timeout: 120)
        let evidence = { "spool:\n\(SpoolInspection.listing(spool))\nlog:\n\(daemon.logTail(30))" }
        // Never done/, not even partly.
        #expect(outcome != .done, "\(evidence())")
        #expect(!FileManager.default.fileExists(atPath: world.layout.done("big")), "\(evidence())")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: world.layout.done))?.isEmpty == true, "\(evidence())")
        #expect(daemon.child.isRunning, "enrichd died on a full spool: \(evidence())")
        switch outcome {
        case .failed:
            let errorPath = world.layout.failed("big") + "/error.json"
            #expect(FileManager.default.fileExists(atPath: errorPath), "failed/big has no error.json; \(evidence())")
            if let error = try? SpoolInspection.jsonObject(errorPath) {
                #expect(error["code"] as? String == "writeFailed", "\(error)")
                // The operator is told the cause.
                let message = error["message"] as? String ?? ""
                #expect(message.contains("No space left on device"), "error.json message does not name the cause: \(message)")
            }
            // Free the space the failed job holds.
            try FileManager.default.removeItem(atPath: world.layout.failed("big"))
        case .timedOut:
            // Acceptable: the job is paused in active/ rather than failed. Cancel it and clear it away.
            #expect(FileManager.default.fileExists(atPath: world.layout.active("big")), "\(evidence())")
            let cancel = try ChildProcess.run(BuiltProducts.enrichctl, ["cancel", "--spool", spool, "big"])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            let cancelled = try SpoolWaiter.wait(for: "big", in: world.layout, timeout: 60)
            for state in [world.layout.failed("big"), world.layout.done("big")] {
                try? FileManager.default.removeItem(atPath: state)
            }
            #expect(cancelled != .timedOut, "\(evidence())")
        case .done:
            break
        }

        // The daemon carries on: with the space freed, a small job goes through.
        try world.submit(small + "/job.json", id: "small")
        let smallOutcome = try SpoolWaiter.wait(for: "small", in: world.layout, timeout: 120)
        #expect(smallOutcome == .done, "\(smallOutcome); \(evidence())")
        if smallOutcome == .done {
            let result = try SpoolInspection.jsonObject(world.layout.done("small") + "/result.json")
            #expect((result["customers"] as? [String: Any])?["rows"] as? Int == 50)
            let output = try CSVFile(path: world.layout.done("small") + "/LeadspaceAccounts.csv")
            #expect(output.rows.count == 50)
        }
        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 30) == 0)
    }

    /// The counters of a job that failed on a full disk mid-enrichment (its request counters possibly unsaved)
    /// and was retried once the space was there: every distinct lookup ended one way, nothing bought twice, and
    /// the output's Paid column says the same.
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs as the spool needs root"))
    func aJobRetriedAfterAFullDiskReportsCountersThatAddUp() throws {
        let directory = try TemporaryDirectory("enrichd-full-retry")
        defer { if !keepTestDirectories { directory.remove() } }
        let seed = 43, companies = 4000
        let big = directory.file("big")
        try SampleBundle.write(to: big, seed: seed, companies: companies, accounts: 3000, name: "Too big")
        let spool = directory.file("spool")
        let mount = try Tmpfs(at: spool, size: "1m")
        defer { mount.unmount() }
        let world = try Self.fastWorld(in: directory, name: "fullretry", seed: seed, companies: companies, spool: spool)
        defer { world.stop() }
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        try world.submit(big + "/job.json", id: "big")
        let evidence = { "spool:\n\(SpoolInspection.listing(spool))\nlog:\n\(daemon.logTail(30))" }
        let outcome = try SpoolWaiter.wait(for: "big", in: world.layout, timeout: 120)
        try #require(outcome == .failed, "expected the ledger not to fit: \(outcome); \(evidence())")
        let billedBefore = try world.sandbox.recordsBilled()

        try mount.resize("64m")
        let retry = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", spool, "big"])
        try #require(retry.status == 0, "\(retry.stderr)")
        let again = try SpoolWaiter.wait(for: "big", in: world.layout, timeout: 120)
        try #require(again == .done, "\(again); \(evidence())")

        let result = try SpoolInspection.jsonObject(world.layout.done("big") + "/result.json")
        let lookups = try #require(result["lookups"] as? [String: Any])
        let count = { (key: String) in lookups[key] as? Int ?? -1 }
        #expect(count("paid") + count("cacheHits") + count("failed") + count("unanswered") == count("distinctKeys"),
                "\(lookups)")
        #expect(count("unanswered") == 0 && count("failed") == 0, "\(lookups)")
        #expect(count("sent") >= count("paid"), "\(lookups)")
        // What the sandbox billed over both runs is what the job reports as paid: nothing bought twice, and answers
        // the failed run bought but could not record (the daemon still holds them) count as this job's.
        let billed = try world.sandbox.recordsBilled()
        #expect(billed == count("paid"), "billed \(billedBefore) then \(billed) in all; \(lookups)")
        let output = try CSVFile(path: world.layout.done("big") + "/LeadspaceAccounts.csv")
        #expect(output.header.contains("Paid"))
        #expect(output.rows.filter { $0["Paid"] == "true" }.count == count("paid"))
    }

    // MARK: - Helpers

    /// A tmpfs of `size` mounted at `path` (root only): a spool that fills up.
    struct Tmpfs {
        let path: String

        init(at path: String, size: String) throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let mount = try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
            try #require(mount.status == 0, "mount: \(mount.stderr)")
            self.path = path
        }

        func resize(_ size: String) throws {
            let remount = try ChildProcess.run("/bin/mount", ["-o", "remount,size=\(size)", self.path])
            try #require(remount.status == 0, "remount: \(remount.stderr)")
        }

        func unmount() {
            if (try? ChildProcess.run("/bin/umount", [self.path]))?.status != 0 {
                _ = try? ChildProcess.run("/bin/umount", ["-l", self.path])
            }
        }
    }

    /// A world whose sandbox answers at once (no rate limit, 1–3 ms) and a daemon configured to send fast.
    static func fastWorld(in directory: TemporaryDirectory, name: String, seed: Int, companies: Int, spool: String)
        throws -> SystemWorld
    {
        let world = try SystemWorld(in: directory, name: name, seed: seed, companies: companies,
                                    sandboxOptions: ["--rate", "0", "--latency-ms", "2", "--latency-jitter-ms", "1"],
                                    spool: spool)
        do {
            try world.configure(ratePerSecond: 1000, maxInFlight: Self.maxInFlight)
        } catch {
            world.stop()
            throw error
        }
        return world
    }

    /// The notify exchange of one SIGHUP: `RELOADING=1` with `MONOTONIC_USEC=` (taken between the signal and
    /// the reply), then `READY=1`.
    static func reload(_ daemon: DaemonIncarnation) throws -> (reloading: String, ready: String) {
        let before = Self.monotonicMicroseconds()
        daemon.child.signal(SIGHUP)
        let untilReloading = try #require(daemon.notifications.next(until: { $0.contains("RELOADING=1") }, timeout: 30),
                                          "no RELOADING=1 after SIGHUP; log:\n\(daemon.logTail())")
        let reloading = untilReloading.last!
        #expect(!untilReloading.dropLast().contains { $0.contains("READY=1") })
        let untilReady = try #require(daemon.notifications.next(until: { $0.contains("READY=1") }, timeout: 30),
                                      "no READY=1 after RELOADING=1; log:\n\(daemon.logTail())")
        let after = Self.monotonicMicroseconds()
        let fields = reloading.split(separator: "\n").map(String.init)
        #expect(fields.contains("RELOADING=1"), "\(fields)")
        let stamp = fields.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) }
        let monotonic = try #require(stamp, "RELOADING=1 without a MONOTONIC_USEC= line: \(fields)")
        #expect(before <= monotonic && monotonic <= after, "MONOTONIC_USEC=\(monotonic) not between \(before) and \(after)")
        #expect(fields.contains("STATUS=reloading configuration"), "\(fields)")
        return (reloading, untilReady.last!)
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    enum LedgerGrowth: Equatable {
        case grew, finished, daemonExited(Int32), timedOut
    }

    /// Waits until the ledger holds more than `baseline` answers (a short bounded poll: the ledger is a plain
    /// file, there is no event for "an answer was appended" short of inotify on every write).
    static func waitForLedger(_ ledger: String, above baseline: Int, id: String, layout: SpoolLayout,
                              daemon: DaemonIncarnation, timeout: Double = 60) -> LedgerGrowth {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if LedgerFile.lineCount(ledger) > baseline { return .grew }
            if FileManager.default.fileExists(atPath: layout.done(id))
                || FileManager.default.fileExists(atPath: layout.failed(id))
            {
                return .finished
            }
            if !daemon.child.isRunning { return .daemonExited(daemon.child.process.terminationStatus) }
            usleep(5_000)
        }
        return .timedOut
    }

    /// The same job on its own spool against its own sandbox (same seed), with no interruption.
    static func runUninterrupted(in directory: TemporaryDirectory, name: String, bundle: String, seed: Int,
                                 companies: Int, sandboxOptions: [String], ratePerSecond: Int, id: String)
        throws -> FinishedJob
    {
        let world = try SystemWorld(in: directory, name: name, seed: seed, companies: companies, sandboxOptions: sandboxOptions)
        defer { world.stop() }
        try world.configure(ratePerSecond: ratePerSecond, maxInFlight: Self.maxInFlight)
        try world.submit(bundle + "/job.json", id: id)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let outcome = try SpoolWaiter.wait(for: id, in: world.layout, timeout: 300)
        try #require(outcome == .done, "uninterrupted run: \(outcome); log:\n\(daemon.logTail())")
        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 30) == 0)
        return try FinishedJob(done: world.layout.done(id), sandbox: world.sandbox)
    }

    /// Same rows in the same (input) order, no duplicates, every column but EnrichedAt equal; same errors.csv
    /// (but for tracking ids) and the same counts in result.json.
    static func expectSameOutcome(_ job: FinishedJob, as reference: FinishedJob, input: String, context: String) throws {
        let inputIDs = try CSVFile(path: input).rows.map { $0["CustomerId"] ?? "" }
        let customerColumn = try #require(job.output.header.firstIndex(of: "CustomerId"))
        let typeColumn = try #require(job.output.header.firstIndex(of: "AddressType"))
        #expect(job.output.rows.map { $0[customerColumn] } == inputIDs, "\(context): rows not one per input row in input order")
        let rowKeys = job.output.rows.map { "\($0[customerColumn])|\($0[typeColumn])" }
        #expect(Set(rowKeys).count == rowKeys.count, "\(context): duplicate output rows")
        #expect(job.output.rows.count == reference.output.rows.count)
        let difference = job.output.firstDifference(from: reference.output)
        #expect(difference == nil, "\(context): output differs from the uninterrupted run: \(difference ?? "")")
        let errorsDifference = job.errors.firstDifference(from: reference.errors)
        #expect(errorsDifference == nil, "\(context): errors.csv differs: \(errorsDifference ?? "")")
        #expect(job.distinctKeys == reference.distinctKeys)
        #expect(job.result["state"] as? String == reference.result["state"] as? String)
        for section in ["customers", "fieldCoverage"] {
            let mine = job.result[section] as? NSDictionary, theirs = reference.result[section] as? NSDictionary
            #expect(mine != nil && mine == theirs, "\(context): result.json \(section) differs: \(String(describing: mine)) vs \(String(describing: theirs))")
        }
        let leftovers = (try FileManager.default.contentsOfDirectory(atPath: job.directory)).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(context): temporary files left in done/: \(leftovers)")
    }
}

extension CrashSafetyTests {
    /// What a finished job left in done/ID/, and what its sandbox billed.
    struct FinishedJob {
        var directory: String
        var output: ComparableOutput
        var errors: ComparableOutput
        var result: [String: Any]
        var distinctKeys: Int
        var ledgerKeys: [String]
        var billed: Int

        init(done: String, sandbox: SandboxServer) throws {
            self.directory = done
            self.result = try SpoolInspection.jsonObject(done + "/result.json")
            let table = ((self.result["outputs"] as? [String: Any])?["table"] as? String) ?? "LeadspaceAccounts.csv"
            self.output = try ComparableOutput(path: done + "/" + table)
            self.errors = try ComparableOutput(path: done + "/errors.csv", ignoring: ["TrackingId"])
            self.distinctKeys = (self.result["lookups"] as? [String: Any])?["distinctKeys"] as? Int ?? -1
            self.ledgerKeys = LedgerFile.keys(done + "/answers.jsonl")
            self.billed = try sandbox.recordsBilled()
        }
    }
}
