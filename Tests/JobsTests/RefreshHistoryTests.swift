import Formats
import Foundation
import Jobs
import Testing

/// history.jsonl's lines: a finished run's numbers come from its result.json; a failed, cancelled or skipped
/// refresh says why; lines read back as written, and a damaged one is left out.
struct RefreshHistoryTests {
    @Test func aRunsLineCarriesItsNumbersAndReadsBack() throws {
        var customers = ResultSummary.Records()
        customers.inScope = 1_608
        customers.enrichedProfiles = 404
        var lookups = ResultSummary.Lookups()
        lookups.sent = 120
        lookups.paid = 118
        lookups.cacheHits = 300
        let result = ResultSummary(
            id: "weekly-20261202-0600-ab12", name: "Weekly", outputTable: "Weekly", connection: "default",
            state: .completedWithWarnings,
            timings: .init(startedAt: "2026-12-02T05:00:00.000Z", finishedAt: "2026-12-02T05:01:30.500Z", durationSeconds: 90.5),
            customers: customers, fieldCoverage: [:], lookups: lookups,
            outputs: .init(table: "Weekly.csv", contacts: nil, errors: "errors.csv"))
        let entry = RefreshHistoryEntry(result: result, dueAt: "2026-12-02T05:00:00.000Z")
        #expect(entry.outcome == .completedWithWarnings && entry.inScope == 1_608 && entry.enrichedProfiles == 404
                    && entry.paid == 118 && entry.cacheHits == 300 && entry.durationSeconds == 90.5)
        let skipped = RefreshHistoryEntry(skippedAt: "2026-12-02T11:00:00.000Z", running: "weekly-20261202-0600-ab12")
        let failed = RefreshHistoryEntry(failed: "weekly-x", error: JobError(.cancelled, "cancelled by alice"),
                                         finishedAt: "2026-12-02T12:00:00.000Z", dueAt: nil)
        #expect(failed.outcome == .cancelled && failed.reason?.contains("cancelled by alice") == true)
        let lines = try [entry, skipped, failed].map { try $0.line() } + [Array("{not json".utf8)]
        #expect(!lines[0].contains(UInt8(ascii: "\n")))
        #expect(RefreshHistoryEntry.entries(lines) == [entry, skipped, failed])
        #expect(skipped.jobId == nil && skipped.reason == "the previous run weekly-20261202-0600-ab12 was still queued or active")
    }
}
