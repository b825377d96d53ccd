import Foundation
import Testing

@testable import Jobs

/// An instant written as ISO 8601 with its offset, e.g. `2024-03-31T03:00:00+02:00`: the expectations read as
/// the wall clock of the zone under test and still name one instant.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("not an ISO 8601 instant: \(text)") }
    return date
}

/// A schedule from the words `enrichment.json` uses: `"daily"` or `"mon,thu"`, `["06:00"]`, a zone.
func schedule(_ days: String, _ times: [String], _ timeZone: String) -> RefreshSchedule {
    let weekdays = days == "daily"
        ? RefreshSchedule.Weekday.allCases
        : days.split(separator: ",").map { RefreshSchedule.Weekday(name: String($0))! }
    return RefreshSchedule(
        days: weekdays, times: times.map { RefreshSchedule.TimeOfDay($0)! }, timeZoneIdentifier: timeZone)!
}

/// The first `count` refreshes after `start`, each found from the one before.
func refreshes(of schedule: RefreshSchedule, after start: Date, count: Int) -> [Date] {
    var found: [Date] = []
    var cursor = start
    while found.count < count, let next = schedule.next(after: cursor) {
        found.append(next)
        cursor = next
    }
    return found
}

struct RefreshScheduleTests {
    // MARK: Days, times, zones

    @Test func aDailyRefreshIsDueAtItsTimeAndStrictlyAfterTheInstantGiven() {
        let daily = schedule("daily", ["06:00"], "Europe/Paris")
        #expect(daily.next(after: instant("2024-01-15T12:00:00+01:00")) == instant("2024-01-16T06:00:00+01:00"))
        #expect(daily.next(after: instant("2024-01-16T05:59:59+01:00")) == instant("2024-01-16T06:00:00+01:00"))
        #expect(daily.next(after: instant("2024-01-16T06:00:00+01:00")) == instant("2024-01-17T06:00:00+01:00"))
        // A fraction of a second after the slot is after it.
        let justAfter = instant("2024-01-16T06:00:00+01:00").addingTimeInterval(0.25)
        #expect(daily.next(after: justAfter) == instant("2024-01-17T06:00:00+01:00"))
    }

    @Test func severalTimesADayComeInOrderWhateverOrderTheyWereWrittenIn() {
        let thrice = schedule("daily", ["18:00", "06:00", "12:00"], "UTC")
        #expect(thrice.times.map(\.description) == ["06:00", "12:00", "18:00"])
        #expect(refreshes(of: thrice, after: instant("2024-05-01T00:00:00Z"), count: 4) == [
            instant("2024-05-01T06:00:00Z"), instant("2024-05-01T12:00:00Z"), instant("2024-05-01T18:00:00Z"),
            instant("2024-05-02T06:00:00Z"),
        ])
    }

    @Test func aWeeklyScheduleRunsOnItsDaysOnly() {
        // 2024-01-01 is a Monday.
        let weekly = schedule("mon,thu", ["06:00", "18:00"], "Europe/Paris")
        let start = instant("2024-01-01T00:00:00+01:00")
        let week = refreshes(of: weekly, after: start, count: 5)
        #expect(week == [
            instant("2024-01-01T06:00:00+01:00"), instant("2024-01-01T18:00:00+01:00"),
            instant("2024-01-04T06:00:00+01:00"), instant("2024-01-04T18:00:00+01:00"),
            instant("2024-01-08T06:00:00+01:00"),
        ])
        // From a Tuesday, Thursday is next.
        #expect(weekly.next(after: instant("2024-01-02T09:00:00+01:00")) == instant("2024-01-04T06:00:00+01:00"))
        // Sunday only: a week later each time.
        let sundays = schedule("sun", ["10:00"], "UTC")
        #expect(refreshes(of: sundays, after: start, count: 3) == [
            instant("2024-01-07T10:00:00Z"), instant("2024-01-14T10:00:00Z"), instant("2024-01-21T10:00:00Z"),
        ])
    }

    @Test(arguments: [
        // Monday 01:00 in Kolkata (+05:30) is still Sunday in UTC.
        ("mon", "01:00", "Asia/Kolkata", "2024-01-07T12:00:00Z", "2024-01-07T19:30:00Z"),
        // Sunday 22:00 in New York is Monday in UTC: after Monday 00:00 UTC it is still to come.
        ("sun", "22:00", "America/New_York", "2024-01-08T00:00:00Z", "2024-01-08T03:00:00Z"),
        ("daily", "06:00", "Asia/Kolkata", "2024-01-07T00:31:00Z", "2024-01-08T00:30:00Z"),
        ("daily", "06:00", "America/New_York", "2024-07-01T12:00:00Z", "2024-07-02T10:00:00Z"),
        ("daily", "06:00", "America/New_York", "2024-01-01T12:00:00Z", "2024-01-02T11:00:00Z"),
        ("daily", "06:00", "UTC", "2024-01-01T12:00:00Z", "2024-01-02T06:00:00Z"),
    ])
    func daysAndTimesAreTheZonesOwn(days: String, time: String, zone: String, after: String, expected: String) {
        #expect(schedule(days, [time], zone).next(after: instant(after)) == instant(expected))
    }

    // MARK: Daylight saving time

    @Test func aTimeTheClocksSkipRunsOnceAtTheEndOfTheGapInParis() {
        // 2024-03-31: Paris goes from 02:00 CET straight to 03:00 CEST.
        let daily = schedule("daily", ["02:30"], "Europe/Paris")
        #expect(refreshes(of: daily, after: instant("2024-03-30T12:00:00+01:00"), count: 3) == [
            instant("2024-03-31T03:00:00+02:00"), instant("2024-04-01T02:30:00+02:00"),
            instant("2024-04-02T02:30:00+02:00"),
        ])
        // From inside the hour after the gap (03:10), that day's slot has passed.
        #expect(daily.next(after: instant("2024-03-31T03:10:00+02:00")) == instant("2024-04-01T02:30:00+02:00"))
    }

    @Test func timesInAndAtTheEndOfTheGapShareOneRun() {
        let crowded = schedule("daily", ["02:15", "02:45", "03:00", "09:00"], "Europe/Paris")
        #expect(refreshes(of: crowded, after: instant("2024-03-31T00:00:00+01:00"), count: 3) == [
            instant("2024-03-31T03:00:00+02:00"), instant("2024-03-31T09:00:00+02:00"),
            instant("2024-04-01T02:15:00+02:00"),
        ])
    }

    @Test func aTimeTheClocksPassTwiceRunsOnceAtItsFirstOccurrenceInParis() {
        // 2024-10-27: Paris goes from 03:00 CEST back to 02:00 CET; 02:30 happens at +02:00, then at +01:00.
        let daily = schedule("daily", ["02:30"], "Europe/Paris")
        #expect(refreshes(of: daily, after: instant("2024-10-26T12:00:00+02:00"), count: 2) == [
            instant("2024-10-27T02:30:00+02:00"), instant("2024-10-28T02:30:00+01:00"),
        ])
        // From inside the repeated hour (02:10 the second time), the second 02:30 is not a refresh.
        #expect(daily.next(after: instant("2024-10-27T02:10:00+01:00")) == instant("2024-10-28T02:30:00+01:00"))
    }

    @Test func newYorkSpringsForwardAndFallsBackWithTheSameRule() {
        // 2024-03-10: 02:00 EST → 03:00 EDT.
        let spring = schedule("daily", ["02:30"], "America/New_York")
        #expect(refreshes(of: spring, after: instant("2024-03-09T12:00:00-05:00"), count: 2) == [
            instant("2024-03-10T03:00:00-04:00"), instant("2024-03-11T02:30:00-04:00"),
        ])
        // 2024-11-03: 02:00 EDT → 01:00 EST; 01:30 happens at -04:00, then at -05:00.
        let fall = schedule("daily", ["01:30"], "America/New_York")
        #expect(refreshes(of: fall, after: instant("2024-11-02T12:00:00-04:00"), count: 2) == [
            instant("2024-11-03T01:30:00-04:00"), instant("2024-11-04T01:30:00-05:00"),
        ])
        #expect(fall.next(after: instant("2024-11-03T01:10:00-05:00")) == instant("2024-11-04T01:30:00-05:00"))
    }

    @Test func aWeekAcrossTheSpringForwardHasExactlyTheExpectedRefreshes() {
        // Monday 2024-03-25 to Monday 2024-04-01 in Paris, twice a day, the clocks changing on Sunday.
        let twice = schedule("daily", ["02:30", "18:00"], "Europe/Paris")
        let week = refreshes(of: twice, after: instant("2024-03-25T00:00:00+01:00"), count: 15)
        #expect(week == [
            instant("2024-03-25T02:30:00+01:00"), instant("2024-03-25T18:00:00+01:00"),
            instant("2024-03-26T02:30:00+01:00"), instant("2024-03-26T18:00:00+01:00"),
            instant("2024-03-27T02:30:00+01:00"), instant("2024-03-27T18:00:00+01:00"),
            instant("2024-03-28T02:30:00+01:00"), instant("2024-03-28T18:00:00+01:00"),
            instant("2024-03-29T02:30:00+01:00"), instant("2024-03-29T18:00:00+01:00"),
            instant("2024-03-30T02:30:00+01:00"), instant("2024-03-30T18:00:00+01:00"),
            instant("2024-03-31T03:00:00+02:00"), instant("2024-03-31T18:00:00+02:00"),
            instant("2024-04-01T02:30:00+02:00"),
        ])
    }

    @Test func aWeekAcrossTheFallBackHasExactlyTheExpectedRefreshes() {
        // Wednesday 2024-10-30 to Wednesday 2024-11-06 in New York, Sunday's 01:30 happening twice.
        let nights = schedule("sun,wed", ["01:30", "23:59"], "America/New_York")
        let week = refreshes(of: nights, after: instant("2024-10-30T00:00:00-04:00"), count: 5)
        #expect(week == [
            instant("2024-10-30T01:30:00-04:00"), instant("2024-10-30T23:59:00-04:00"),
            instant("2024-11-03T01:30:00-04:00"), instant("2024-11-03T23:59:00-05:00"),
            instant("2024-11-06T01:30:00-05:00"),
        ])
    }

    // MARK: Missed refreshes

    @Test func threeDaysDownMeansOneRunOfTheLatestMissedSlot() {
        let twice = schedule("daily", ["06:00", "18:00"], "Europe/Paris")
        let lastRun = instant("2024-01-10T06:00:05+01:00")
        let since = instant("2024-01-01T00:00:00+01:00")
        #expect(twice.due(lastRun: lastRun, since: since, now: instant("2024-01-13T09:00:00+01:00"))
            == instant("2024-01-13T06:00:00+01:00"))
        // Once it ran, nothing more is due until the next slot.
        let ran = instant("2024-01-13T09:00:01+01:00")
        #expect(twice.due(lastRun: ran, since: since, now: instant("2024-01-13T17:59:59+01:00")) == nil)
        #expect(twice.due(lastRun: ran, since: since, now: instant("2024-01-13T18:00:00+01:00"))
            == instant("2024-01-13T18:00:00+01:00"))
    }

    @Test func withoutALastRunSlotsCountFromTheEnrichmentsCreation() {
        let daily = schedule("daily", ["06:00"], "Europe/Paris")
        let now = instant("2024-01-13T09:00:00+01:00")
        #expect(daily.due(lastRun: nil, since: instant("2024-01-13T07:00:00+01:00"), now: now) == nil)
        #expect(daily.due(lastRun: nil, since: instant("2024-01-12T00:00:00+01:00"), now: now)
            == instant("2024-01-13T06:00:00+01:00"))
    }

    @Test func aMissedSlotInTheGapIsTheInstantAfterTheGap() {
        let daily = schedule("daily", ["02:30"], "Europe/Paris")
        let due = daily.due(
            lastRun: instant("2024-03-30T03:00:00+01:00"), since: instant("2024-03-01T00:00:00+01:00"),
            now: instant("2024-03-31T12:00:00+02:00"))
        #expect(due == instant("2024-03-31T03:00:00+02:00"))
        #expect(daily.previous(atOrBefore: instant("2024-10-27T02:40:00+01:00"))
            == instant("2024-10-27T02:30:00+02:00"))
    }

    // MARK: For people

    @Test(arguments: [
        ("daily", ["06:00", "18:00"], "Europe/Paris", "daily at 06:00 and 18:00 Europe/Paris"),
        ("mon,thu", ["06:00"], "Europe/Paris", "Mon, Thu at 06:00 Europe/Paris"),
        ("fri,mon,wed", ["18:00", "06:00", "12:00"], "America/New_York",
         "Mon, Wed, Fri at 06:00, 12:00 and 18:00 America/New_York"),
        ("mon,tue,wed,thu,fri,sat,sun", ["00:00"], "UTC", "daily at 00:00 UTC"),
    ])
    func describesItselfAsAPersonWould(days: String, times: [String], zone: String, expected: String) {
        #expect(schedule(days, times, zone).description == expected)
    }

    @Test func neverMoreThanFourTimesADay() {
        let five = ["01:00", "02:00", "03:00", "04:00", "05:00"].map { RefreshSchedule.TimeOfDay($0)! }
        #expect(RefreshSchedule(days: [.monday], times: five, timeZoneIdentifier: "UTC") == nil)
        #expect(RefreshSchedule(days: [.monday], times: Array(five.prefix(4)), timeZoneIdentifier: "UTC") != nil)
    }

    @Test(arguments: ["00:00", "23:59", "09:05"])
    func readsTimesOfDay(text: String) {
        #expect(RefreshSchedule.TimeOfDay(text)?.description == text)
    }

    @Test(arguments: ["24:00", "25:00", "7:5", "07:5", "06:60", "0600", "06:00:00", "+6:00", "٠٦:٠٠", ""])
    func refusesWhatIsNotATimeOfDay(text: String) {
        #expect(RefreshSchedule.TimeOfDay(text) == nil)
    }
}
