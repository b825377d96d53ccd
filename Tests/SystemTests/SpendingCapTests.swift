import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// A job's `maxPaidLookups` through the real daemon and sandbox (issue 18, point 1): the sandbox bills exactly
/// the cap, the job pauses where it stands with the reason in `enrichctl status` and the journal's fields, and a
/// raised cap in its job.json plus a reload (SIGHUP) finishes it, paying once for each remaining lookup.
@Suite struct SpendingCapTests {
    @Test func aJobPausesAtItsCapAndARaisedCapFinishesIt() throws {
        let directory = try TemporaryDirectory("enrichd-cap")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 71, companies: 1500,
                                    sandboxOptions: ["--rate", "400", "--latency-ms", "2", "--latency-jitter-ms", "1"])
        defer { world.stop() }
        let bundle = try world.sample(accounts: 150)
        try SampleBundle.writeDescriptor(to: bundle, connection: "default")
        // Many requests in flight at once: the cap must hold under concurrency.
        try world.configure(ratePerSecond: 400, maxInFlight: 16)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        // The cap comes from `submit --max-paid` (written into the job's job.json).
        let submitted = try ChildProcess.run(BuiltProducts.enrichctl, ["submit", "--spool", world.layout.root, "--id", "capped",
                                                                       "--max-paid", "30", bundle + "/job.json"])
        #expect(submitted.status == 0, "\(submitted.stderr)")

        let progressPath = world.layout.active("capped") + "/progress.json"
        let paused = EnrichmentTests.eventually(timeout: 120) { () -> String? in
            guard let progress = try? SpoolInspection.jsonObject(progressPath), progress["phase"] as? String == "paused"
            else { return nil }
            return progress["pausedReason"] as? String
        }
        let reason = try #require(paused, "the job never paused; \(daemon.logTail())")
        #expect(reason.contains("maxPaidLookups 30 reached"), "\(reason)")
        // Paused, nothing more goes out: once the 30 requests sent are answered (the ledger has them), the bill
        // is the cap, exactly.
        let ledger = world.layout.active("capped") + "/answers.jsonl"
        #expect(EnrichmentTests.eventually(timeout: 60) { LedgerFile.lineCount(ledger) >= 30 ? true : nil } == true)
        let billedAtPause = try world.sandbox.recordsBilled()
        #expect(LedgerFile.lineCount(ledger) == 30 && billedAtPause == 30)
        let status = try ChildProcess.run(BuiltProducts.enrichctl, ["status", "--config", world.configurationPath, "capped"])
        #expect(status.stdout.contains("maxPaidLookups 30 reached"), "\(status.stdout)")
        #expect(daemon.log.contains("job paused: maxPaidLookups 30 reached"), "\(daemon.logTail())")
        #expect(FileManager.default.fileExists(atPath: world.layout.active("capped")))

        // Raised in its job.json, and a reload: it finishes.
        let active = world.layout.active("capped") + "/job.json"
        let descriptor = try String(contentsOfFile: active, encoding: .utf8)
        #expect(descriptor.contains(#""maxPaidLookups" : 30"#), "\(descriptor)")
        try descriptor.replacingOccurrences(of: #""maxPaidLookups" : 30"#, with: #""maxPaidLookups" : 5000"#)
            .write(toFile: active, atomically: true, encoding: .utf8)
        daemon.child.signal(SIGHUP)
        #expect(try SpoolWaiter.wait(for: "capped", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        let result = try SpoolInspection.jsonObject(world.layout.done("capped") + "/result.json")
        let lookups = try #require(result["lookups"] as? [String: Any])
        let distinct = try #require(lookups["distinctKeys"] as? Int)
        #expect(distinct > 30 && lookups["paid"] as? Int == distinct, "\(lookups)")
        #expect(try world.sandbox.recordsBilled() == distinct, "every lookup paid once, the capped ones included")
    }
}
