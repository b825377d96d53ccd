import Foundation
import Jobs
import Logging
import Spool

/// The saved enrichments' schedules as the daemon serves them: the timetable, rebuilt from the spool (each
/// enrichment's definition, history and queued or active run) whenever something may have changed, and the
/// due slots served — a run submitted as an ordinary job, or a skip recorded in the history when the previous
/// run has not finished. The daemon keeps one timer, set for ``nextWake``; nothing polls.
///
/// Confined to the control queue (a value the daemon owns).
struct EnrichmentScheduler {
    let layout: SpoolLayout
    let logger: Logger
    /// The daemon's wall clock (``EnrichmentScheduler/testClockOffset`` added in debug builds).
    let now: @Sendable () -> Date
    private(set) var timetable = EnrichmentTimetable()
    /// Each enrichment's run that is queued or active, by name.
    private var pending: [EnrichmentName: String] = [:]

    init(layout: SpoolLayout, logger: Logger, now: @escaping @Sendable () -> Date = Self.clock) {
        self.layout = layout
        self.logger = logger
        self.now = now
    }

    /// The wall clock, plus `ENRICHD_TEST_CLOCK_OFFSET` seconds in debug builds only: the system tests move the
    /// daemon's time next to a refresh instead of waiting for it. A release build ignores the variable.
    static let testClockOffset: TimeInterval = {
        #if DEBUG
            ProcessInfo.processInfo.environment["ENRICHD_TEST_CLOCK_OFFSET"].flatMap(TimeInterval.init) ?? 0
        #else
            0
        #endif
    }()

    @Sendable static func clock() -> Date { Date().addingTimeInterval(Self.testClockOffset) }

    /// When the timer should fire next (nil: no enrichment is scheduled).
    var nextWake: Date? { self.timetable.nextWake(now: self.now()) }

    /// The next scheduled refresh, for the status line.
    var nextRefresh: (name: EnrichmentName, at: Date)? { self.timetable.nextDue(now: self.now()) }

    /// Rebuilds the timetable from the spool.
    mutating func reload() {
        let store = EnrichmentStore(layout: self.layout)
        let inspector = JobInspector(layout: self.layout, now: self.now())
        let active = ((try? FileManager.default.contentsOfDirectory(atPath: self.layout.active)) ?? []).filter { !SpoolLayout.isIgnored($0) }
        var pending: [EnrichmentName: (id: String, at: Date?)] = [:]
        for job in inspector.queued() + inspector.jobs(in: .active, names: active) {
            guard let name = job.enrichment.flatMap(EnrichmentName.init(rawValue:)) else { continue }
            // The refresh it serves, in the schedule's own time (the spool's file times are the system clock's).
            let at = (job.refreshDueAt ?? job.submittedAt ?? job.startedAt).flatMap(Timestamp.date)
            pending[name] = (job.id, at)
        }
        var timetable = EnrichmentTimetable()
        for name in store.names() {
            let directory = self.layout.enrichment(name.rawValue)
            let definition: EnrichmentDefinition
            do {
                definition = try store.definition(name)
            } catch {
                self.logger.warning("saved enrichment not scheduled: \(error)", metadata: ["enrichment": "\(name)"])
                continue
            }
            var status = stat()
            let since = stat(directory.definition, &status) == 0
                ? Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec)) : self.now()
            // The schedule was last served by the latest of: a slot run or skipped (history), a run pending now.
            let served = RefreshHistoryEntry.entries(directory.historyLines()).compactMap { entry in
                (entry.dueAt ?? entry.startedAt ?? entry.finishedAt).flatMap(Timestamp.date)
            } + [pending[name]?.at].compactMap { $0 }
            timetable.update(.init(name: name, isActive: definition.isActive, schedule: definition.schedule,
                                   since: since, lastRefresh: served.max(), isRunPending: pending[name] != nil))
        }
        self.timetable = timetable
        self.pending = pending.mapValues(\.id)
    }

    /// Serves every slot due now; returns the jobs submitted.
    @discardableResult
    mutating func wake() -> [String] {
        var submitted: [String] = []
        let store = EnrichmentStore(layout: self.layout)
        for action in self.timetable.wake(now: self.now()) {
            switch action {
            case .run(let name, let slot):
                do {
                    let id = try store.run(name, dueAt: slot)
                    self.pending[name] = id
                    submitted.append(id)
                    self.logger.notice("scheduled refresh submitted", metadata: [
                        "enrichment": "\(name)", "job_id": "\(id)", "due_at": "\(Timestamp.iso(slot))"])
                } catch {
                    self.logger.error("scheduled refresh could not be submitted: \(error)", metadata: [
                        "enrichment": "\(name)", "due_at": "\(Timestamp.iso(slot))"])
                }
            case .skip(let name, let slot):
                let running = self.pending[name] ?? "(unknown)"
                let entry = RefreshHistoryEntry(skippedAt: Timestamp.iso(slot), running: running)
                do {
                    try self.layout.enrichment(name.rawValue).appendHistory(try entry.line())
                } catch {
                    self.logger.error("cannot record a skipped refresh: \(error)", metadata: ["enrichment": "\(name)"])
                }
                self.logger.notice("scheduled refresh skipped: the previous run has not finished", metadata: [
                    "enrichment": "\(name)", "job_id": "\(running)", "due_at": "\(Timestamp.iso(slot))"])
            }
        }
        return submitted
    }
}
