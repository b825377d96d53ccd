import Foundation

/// Which saved enrichments the schedule refreshes, and when the daemon should next wake to do it: the state of
/// its one timer.
///
/// The daemon sleeps until ``nextWake(now:)``, then calls ``wake(now:)`` and performs the actions: submit a run,
/// or record in the enrichment's history that a slot was skipped. Time comes in as a parameter only.
public struct EnrichmentTimetable: Sendable, Equatable {
    /// What the timetable knows of one enrichment.
    public struct Entry: Sendable, Equatable {
        public var name: EnrichmentName
        public var isActive: Bool
        public var schedule: RefreshSchedule?
        /// Since when slots count as missed: the enrichment's creation, or its activation.
        public var since: Date
        /// The last time the schedule was served: a run submitted (by the schedule or by hand) or the slot
        /// last skipped. Nil when it never was.
        public var lastRefresh: Date?
        /// A run of it is queued or active, so a slot that comes due now is skipped.
        public var isRunPending: Bool

        public init(
            name: EnrichmentName, isActive: Bool = true, schedule: RefreshSchedule?, since: Date,
            lastRefresh: Date? = nil, isRunPending: Bool = false
        ) {
            self.name = name
            self.isActive = isActive
            self.schedule = schedule
            self.since = since
            self.lastRefresh = lastRefresh
            self.isRunPending = isRunPending
        }

        /// The slot that should be served at `now`, if any; an inactive or unscheduled enrichment has none.
        func due(now: Date) -> Date? {
            guard self.isActive, let schedule = self.schedule else { return nil }
            return schedule.due(lastRun: self.lastRefresh, since: self.since, now: now)
        }

        /// The next slot after `now` (and after the last one served, should the clock have gone back).
        func next(now: Date) -> Date? {
            guard self.isActive, let schedule = self.schedule else { return nil }
            return schedule.next(after: max(now, self.lastRefresh ?? self.since))
        }
    }

    /// What the daemon does at a wake.
    public enum Action: Sendable, Equatable {
        /// Submit a run of the enrichment, for the slot at that instant.
        case run(EnrichmentName, slot: Date)
        /// The previous run is still queued or active: this slot is not run; record that it was skipped.
        case skip(EnrichmentName, slot: Date)
    }

    public private(set) var entries: [EnrichmentName: Entry] = [:]

    public init(_ entries: [Entry] = []) {
        for entry in entries { self.entries[entry.name] = entry }
    }

    /// Adds an enrichment or replaces what was known of it (a reload, `enrichctl enrichment edit`).
    public mutating func update(_ entry: Entry) {
        self.entries[entry.name] = entry
    }

    public mutating func remove(_ name: EnrichmentName) {
        self.entries[name] = nil
    }

    /// A run was submitted by hand: the schedule counts its slots from then.
    public mutating func runSubmitted(_ name: EnrichmentName, at instant: Date) {
        self.entries[name]?.lastRefresh = instant
        self.entries[name]?.isRunPending = true
    }

    /// The enrichment's run finished (in `done/` or `failed/`): its next slot may run.
    public mutating func runEnded(_ name: EnrichmentName) {
        self.entries[name]?.isRunPending = false
    }

    /// When the enrichment refreshes next by the schedule: `now` or earlier if a slot is due already.
    public func nextRefresh(of name: EnrichmentName, now: Date) -> Date? {
        guard let entry = self.entries[name] else { return nil }
        return entry.due(now: now) ?? entry.next(now: now)
    }

    /// The enrichment due first and when: the daemon's one timer is set for that instant (at or before `now`
    /// means at once). Nil when nothing is scheduled.
    public func nextDue(now: Date) -> (name: EnrichmentName, at: Date)? {
        var first: (name: EnrichmentName, at: Date)?
        for name in self.entries.keys.sorted() {
            guard let at = self.nextRefresh(of: name, now: now) else { continue }
            if first.map({ at < $0.at }) ?? true { first = (name, at) }
        }
        return first
    }

    /// When the daemon should wake next; nil means no timer at all.
    public func nextWake(now: Date) -> Date? {
        self.nextDue(now: now)?.at
    }

    /// Serves every slot due at `now`: each runs, unless the enrichment's previous run is still queued or
    /// active, in which case it is skipped. Each slot is served once, however often this is called.
    public mutating func wake(now: Date) -> [Action] {
        var actions: [Action] = []
        for name in self.entries.keys.sorted() {
            guard var entry = self.entries[name], let slot = entry.due(now: now) else { continue }
            if entry.isRunPending {
                actions.append(.skip(name, slot: slot))
                entry.lastRefresh = slot
            } else {
                actions.append(.run(name, slot: slot))
                entry.lastRefresh = now
                entry.isRunPending = true
            }
            self.entries[name] = entry
        }
        return actions
    }
}
