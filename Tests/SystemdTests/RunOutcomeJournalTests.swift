import EnrichdTestSupport
import Foundation
import Testing

/// A saved enrichment's run and its failing `runFinished` hook, as a real (private) systemd-journald records them:
/// each with its own MESSAGE_ID and the fields the catalog's entries name.
@Suite struct RunOutcomeJournalTests {
    static let enrichmentRunRecorded = "eef0e4e24a284f39a353cfa28c39563e"
    static let hookFailed = "9d5d7c07b6004dc1a91317bf3836491f"

    @Test(.enabled(if: JournaldTests.isRoot && FileManager.default.fileExists(atPath: JournaldTests.journaldPath),
                   "needs root and systemd-journald: the private journal runs in its own mount namespace"))
    func aFailedRefreshAndItsFailingHookHaveTheirMessageIDs() throws {
        let directory = try TemporaryDirectory("enrichd-journal-hook")
        defer { directory.remove() }
        try directory.write("token", "journal-hook-token-\(UUID().uuidString)", mode: 0o600)
        let accounts = try directory.write("data/accounts.csv", "CustomerId,Name\r\n1,Acme Robotics\r\n")
        let hook = try directory.write("page-oncall", """
            #!/bin/sh
            echo "no pager for $ENRICHD_ENRICHMENT ($ENRICHD_STATE)" >&2
            exit 3
            """, mode: 0o755)
        // No consent on the connection: the run fails as soon as it starts, without a Leadspace to talk to.
        try directory.write("enrichd.json", """
            {"spool": "\(directory.file("spool"))", "inputRoots": ["\(directory.file("data"))"],
             "hooks": {"runFinished": {"command": ["\(hook)"], "timeoutSeconds": 30}},
             "connections": {"default": {"baseURL": "http://127.0.0.1:9", "dataSharingConsent": false,
                                         "tokenFile": "\(directory.file("token"))"}}}
            """)
        try directory.write("nightly.json", """
            {"name": "Nightly accounts", "outputTable": "Nightly",
             "customers": {"file": "\(accounts)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        // The spool as the daemon lays it out at start (enrichctl does not create it).
        for name in ["tmp", "incoming", "enrichments", "active", "done", "failed", "control"] {
            try FileManager.default.createDirectory(atPath: directory.file("spool/\(name)"), withIntermediateDirectories: true)
        }
        let config = ["--config", directory.file("enrichd.json")]
        let created = try ChildProcess.run(BuiltProducts.enrichctl, ["enrichment", "create"] + config
            + ["--name", "nightly", directory.file("nightly.json")])
        #expect(created.status == 0, "\(created.stderr)")
        let run = try ChildProcess.run(BuiltProducts.enrichctl, ["enrichment", "run"] + config + ["nightly"])
        let runID = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(run.status == 0 && runID.hasPrefix("nightly-"), "\(run.stderr)")

        // --once: the run fails, is recorded, its hook runs, and the drain waits for the hook before the exit.
        let records = try JournaldTests.runOnceWithPrivateJournal(in: directory)
        let messages = records.map { "\($0["MESSAGE_ID"] ?? "-") \($0["MESSAGE"] ?? "")" }
        let recorded = try #require(records.first { $0["MESSAGE_ID"] as? String == Self.enrichmentRunRecorded },
                                    "no enrichmentRunRecorded record: \(messages)")
        #expect(recorded["ENRICHMENT"] as? String == "nightly")
        #expect(recorded["JOB_ID"] as? String == runID)
        #expect(recorded["OUTCOME"] as? String == "failed")
        #expect(recorded["PRIORITY"] as? String == "4", "a failed refresh is a warning")
        try JournaldTests.expectCallSite(recorded, module: "EnrichDaemon")

        let failed = try #require(records.first { $0["MESSAGE_ID"] as? String == Self.hookFailed },
                                  "no hookFailed record: \(messages)")
        #expect(failed["JOB_ID"] as? String == runID)
        #expect(failed["ENRICHMENT"] as? String == "nightly")
        #expect(failed["HOOK"] as? String == hook)
        #expect(failed["EXIT_STATUS"] as? String == "3")
        #expect(failed["STATE"] as? String == "failed")
        #expect(failed["HOOK_OUTPUT"] as? String == "no pager for nightly (failed)")
        #expect(failed["PRIORITY"] as? String == "4")
        #expect((failed["MESSAGE"] as? String)?.contains("\(hook) exited with status 3") == true, "\(failed)")
        try JournaldTests.expectCallSite(failed, module: "EnrichDaemon")
        // The run failed on its own terms; the hook's failure changed nothing about it.
        let error = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            directory.file("spool/failed/\(runID)/error.json")))) as? [String: Any]
        #expect(error?["code"] as? String == "consentRequired", "\(error ?? [:])")
        #expect(try directory.read("stderr.log").isEmpty)
    }
}
