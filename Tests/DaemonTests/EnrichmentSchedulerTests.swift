import Foundation
import Jobs
import Locking
import Logging
import Spool
import Testing

@testable import EnrichDaemon

/// The daemon's schedule over a real spool, with virtual time: the timer's deadline is the next slot; at the
/// slot one run is submitted as an ordinary job naming its enrichment; a slot that comes due while that run is
/// queued is skipped and recorded; an inactive enrichment has no deadline; a daemon down for days runs once.
struct EnrichmentSchedulerTests {
    final class VirtualClock: Sendable {
        let now: Locked<Date>
        init(_ date: Date) { self.now = Locked(date) }
        func set(_ date: Date) { self.now.withLock { $0 = date } }
    }

    static func date(_ text: String) -> Date { Timestamp.date(text)! }

    static func spool() throws -> (SpoolLayout, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-\(UUID().uuidString)").path
        let layout = SpoolLayout(root: root)
        try layout.create()
        let export = root + "/accounts.csv"
        try Data("CustomerId,Name\n1,Acme\n".utf8).write(to: URL(fileURLWithPath: export))
        let definition = root + "/daily.json"
        try Data("""
            {"name": "Daily", "outputTable": "Daily", "customers": {"file": "\(export)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}},
             "schedule": {"days": "daily", "times": ["06:00", "18:00"], "timeZone": "UTC"}}
            """.utf8).write(to: URL(fileURLWithPath: definition))
        try EnrichmentStore(layout: layout).create(EnrichmentName(rawValue: "daily")!, definitionPath: definition, inputRoots: nil)
        // Created (as far as the schedule counts) on 1 December at 12:00.
        var times = [timespec(tv_sec: Int(Self.date("2026-12-01T12:00:00Z").timeIntervalSince1970), tv_nsec: 0),
                     timespec(tv_sec: Int(Self.date("2026-12-01T12:00:00Z").timeIntervalSince1970), tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, layout.enrichment("daily").definition, &times, 0) == 0)
        return (layout, root)
    }

    static func queuedRuns(_ layout: SpoolLayout) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: layout.incoming)) ?? []).sorted()
    }

    @Test func slotsRunOnceAndASlotDueWhileTheRunIsQueuedIsSkipped() throws {
        let (layout, root) = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = VirtualClock(Self.date("2026-12-01T13:00:00Z"))
        var scheduler = EnrichmentScheduler(layout: layout, logger: Logger(label: "test")) { clock.now.withLock { $0 } }
        scheduler.reload()
        #expect(scheduler.nextWake == Self.date("2026-12-01T18:00:00Z"))
        #expect(scheduler.wake().isEmpty && Self.queuedRuns(layout).isEmpty)

        clock.set(Self.date("2026-12-01T18:00:00.5Z"))
        let submitted = scheduler.wake()
        #expect(submitted.count == 1 && Self.queuedRuns(layout) == submitted, "\(Self.queuedRuns(layout))")
        let descriptor = try JobDescriptor.parse(Array(try Data(contentsOf: URL(fileURLWithPath: layout.path("incoming", submitted[0], "job.json")))))
        #expect(descriptor.enrichment?.rawValue == "daily" && descriptor.name == "Daily")
        #expect(scheduler.wake().isEmpty, "a slot is served once")
        #expect(scheduler.nextWake == Self.date("2026-12-02T06:00:00Z"))

        // The next slot comes while the run is still queued (a reload, as after a restart, knows it from the spool).
        clock.set(Self.date("2026-12-02T06:00:01Z"))
        scheduler.reload()
        #expect(scheduler.wake().isEmpty)
        #expect(Self.queuedRuns(layout) == submitted)
        let history = RefreshHistoryEntry.entries(layout.enrichment("daily").historyLines())
        #expect(history.map(\.outcome) == [.skipped] && history.first?.dueAt == "2026-12-02T06:00:00.000Z"
                    && history.first?.reason?.contains(submitted[0]) == true, "\(history)")
        #expect(scheduler.nextWake == Self.date("2026-12-02T18:00:00Z"))
    }

    @Test func aDaemonDownForDaysRunsOnceAndAnInactiveEnrichmentHasNoDeadline() throws {
        let (layout, root) = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = VirtualClock(Self.date("2026-12-04T09:00:00Z"))
        var scheduler = EnrichmentScheduler(layout: layout, logger: Logger(label: "test")) { clock.now.withLock { $0 } }
        scheduler.reload()
        // Five slots passed since the enrichment was created: one run.
        #expect(scheduler.wake().count == 1 && Self.queuedRuns(layout).count == 1)
        #expect(scheduler.wake().isEmpty)

        try EnrichmentStore(layout: layout).setActive(EnrichmentName(rawValue: "daily")!, false)
        scheduler.reload()
        #expect(scheduler.nextWake == nil && scheduler.nextRefresh == nil)
    }
}
