import Foundation
import Testing

@testable import Jobs

struct EnrichmentTimetableTests {
    static let created = instant("2024-01-01T00:00:00+01:00")

    static func entry(
        _ name: String, _ schedule: RefreshSchedule?, isActive: Bool = true, lastRefresh: Date? = nil,
        isRunPending: Bool = false
    ) -> EnrichmentTimetable.Entry {
        EnrichmentTimetable.Entry(
            name: EnrichmentName(rawValue: name)!, isActive: isActive, schedule: schedule, since: Self.created,
            lastRefresh: lastRefresh, isRunPending: isRunPending)
    }

    static func name(_ text: String) -> EnrichmentName { EnrichmentName(rawValue: text)! }

    @Test func theTimerIsSetForTheEnrichmentDueFirst() {
        let timetable = EnrichmentTimetable([
            Self.entry("paris", schedule("daily", ["06:00"], "Europe/Paris"),
                       lastRefresh: instant("2024-01-10T06:00:00+01:00")),
            Self.entry("new-york", schedule("daily", ["06:00"], "America/New_York"),
                       lastRefresh: instant("2024-01-10T06:00:00-05:00")),
            Self.entry("by-hand", nil),
        ])
        let now = instant("2024-01-10T08:00:00-05:00")
        #expect(timetable.nextDue(now: now)?.name == Self.name("paris"))
        #expect(timetable.nextWake(now: now) == instant("2024-01-11T06:00:00+01:00"))
        #expect(timetable.nextRefresh(of: Self.name("new-york"), now: now) == instant("2024-01-11T06:00:00-05:00"))
        #expect(timetable.nextRefresh(of: Self.name("by-hand"), now: now) == nil)
    }

    @Test func anInactiveEnrichmentIsNeverDueEvenWithMissedSlots() {
        var timetable = EnrichmentTimetable([
            Self.entry("resting", schedule("daily", ["06:00", "18:00"], "UTC"), isActive: false)
        ])
        let now = instant("2024-02-01T12:00:00Z")
        #expect(timetable.nextWake(now: now) == nil)
        #expect(timetable.wake(now: now).isEmpty)
        // Activated again: slots count from the activation, not from its creation.
        var activated = Self.entry("resting", schedule("daily", ["06:00", "18:00"], "UTC"))
        activated.since = now
        timetable.update(activated)
        #expect(timetable.wake(now: now).isEmpty)
        #expect(timetable.nextWake(now: now) == instant("2024-02-01T18:00:00Z"))
    }

    @Test func aDaemonDownForThreeDaysRunsEachMissedEnrichmentOnce() {
        var timetable = EnrichmentTimetable([
            Self.entry("twice-daily", schedule("daily", ["06:00", "18:00"], "Europe/Paris"),
                       lastRefresh: instant("2024-01-10T06:00:01+01:00")),
            Self.entry("mondays", schedule("mon", ["07:00"], "Europe/Paris"),
                       lastRefresh: instant("2024-01-08T07:00:01+01:00")),
        ])
        let start = instant("2024-01-13T09:00:00+01:00")
        // Due already: the timer fires at once.
        #expect(timetable.nextWake(now: start)! <= start)
        #expect(timetable.wake(now: start)
            == [.run(Self.name("twice-daily"), slot: instant("2024-01-13T06:00:00+01:00"))])
        #expect(timetable.wake(now: start).isEmpty)
        #expect(timetable.nextDue(now: start)?.name == Self.name("twice-daily"))
        #expect(timetable.nextWake(now: start) == instant("2024-01-13T18:00:00+01:00"))
        #expect(timetable.nextRefresh(of: Self.name("mondays"), now: start) == instant("2024-01-15T07:00:00+01:00"))
    }

    @Test func aSlotThatComesDueWhileThePreviousRunIsPendingIsSkippedOnce() {
        let daily = schedule("daily", ["06:00", "18:00"], "Europe/Paris")
        var timetable = EnrichmentTimetable([
            Self.entry("busy", daily, lastRefresh: instant("2024-01-10T06:00:00+01:00"), isRunPending: true)
        ])
        let evening = instant("2024-01-10T18:00:00+01:00")
        #expect(timetable.nextWake(now: instant("2024-01-10T12:00:00+01:00")) == evening)
        #expect(timetable.wake(now: evening) == [.skip(Self.name("busy"), slot: evening)])
        // The skipped slot is not served again, neither now nor once the run ends.
        #expect(timetable.wake(now: evening).isEmpty)
        timetable.runEnded(Self.name("busy"))
        #expect(timetable.wake(now: evening.addingTimeInterval(60)).isEmpty)
        let morning = instant("2024-01-11T06:00:00+01:00")
        #expect(timetable.nextWake(now: evening.addingTimeInterval(60)) == morning)
        #expect(timetable.wake(now: morning) == [.run(Self.name("busy"), slot: morning)])
        // That run is pending now: the evening slot is skipped in turn.
        let nextEvening = instant("2024-01-11T18:00:00+01:00")
        #expect(timetable.wake(now: nextEvening) == [.skip(Self.name("busy"), slot: nextEvening)])
    }

    @Test func aRunByHandCountsAsTheRefreshOfThePassedSlots() {
        var timetable = EnrichmentTimetable([Self.entry("manual", schedule("daily", ["06:00"], "UTC"))])
        let manual = instant("2024-01-10T09:00:00Z")
        timetable.runSubmitted(Self.name("manual"), at: manual)
        timetable.runEnded(Self.name("manual"))
        #expect(timetable.wake(now: manual.addingTimeInterval(60)).isEmpty)
        #expect(timetable.nextWake(now: manual) == instant("2024-01-11T06:00:00Z"))
    }

    @Test func aRemovedEnrichmentIsNoLongerScheduled() {
        var timetable = EnrichmentTimetable([Self.entry("gone", schedule("daily", ["06:00"], "UTC"))])
        timetable.remove(Self.name("gone"))
        #expect(timetable.nextWake(now: Self.created) == nil)
        #expect(timetable.wake(now: instant("2024-02-01T00:00:00Z")).isEmpty)
    }

    @Test func aFourTimesADayScheduleWakesAtEachOfItsTimes() {
        var timetable = EnrichmentTimetable([
            Self.entry("often", schedule("daily", ["00:00", "06:00", "12:00", "18:00"], "Asia/Kolkata"),
                       lastRefresh: instant("2024-03-01T00:00:00+05:30"))
        ])
        var now = instant("2024-03-01T00:00:00+05:30")
        var runs: [Date] = []
        while let wake = timetable.nextWake(now: now), wake <= instant("2024-03-02T00:00:00+05:30") {
            now = wake
            for case .run(_, let slot) in timetable.wake(now: now) { runs.append(slot) }
            timetable.runEnded(Self.name("often"))
        }
        #expect(runs == [
            instant("2024-03-01T06:00:00+05:30"), instant("2024-03-01T12:00:00+05:30"),
            instant("2024-03-01T18:00:00+05:30"), instant("2024-03-02T00:00:00+05:30"),
        ])
    }
}
