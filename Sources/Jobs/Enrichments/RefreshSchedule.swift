import Foundation

/// When a saved enrichment refreshes: on some days of the week (or every day), at up to four times of day, in
/// one time zone — Customer Insights' "refresh schedule", as `"schedule"` in `enrichment.json` writes it.
///
/// A pure value: it answers with instants for any instant it is given, so the daemon's one timer and the tests
/// share the same arithmetic and no clock.
public struct RefreshSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Customer Insights allows at most four refreshes a day.
    public static let maximumTimesPerDay = 4

    /// The days it refreshes on, Monday first; all seven for `"daily"`.
    public private(set) var days: [Weekday]
    /// The times of day, earliest first.
    public private(set) var times: [TimeOfDay]
    /// The zone the days and times are read in.
    public private(set) var timeZone: TimeZone
    /// The zone's name as written (Foundation calls `UTC` `GMT`; people should see what they wrote).
    public private(set) var timeZoneIdentifier: String

    /// A schedule of already valid parts; `parse` is the checked way in. Days and times are sorted, repeats
    /// dropped.
    public init?(days: [Weekday], times: [TimeOfDay], timeZoneIdentifier: String) {
        let days = Set(days).sorted()
        let times = Set(times).sorted()
        guard !days.isEmpty, !times.isEmpty, times.count <= Self.maximumTimesPerDay,
            let timeZone = TimeZone(identifier: timeZoneIdentifier)
        else { return nil }
        self.days = days
        self.times = times
        self.timeZone = timeZone
        self.timeZoneIdentifier = timeZoneIdentifier
    }

    public var isDaily: Bool { self.days.count == Weekday.allCases.count }

    /// The first refresh strictly after `instant`.
    ///
    /// Each (day, time) slot runs once: a time the clocks skip (02:30 on a spring-forward day) runs at the first
    /// instant after the gap, and a time they pass twice (on a fall-back day) runs at its first occurrence.
    public func next(after instant: Date) -> Date? {
        let clock = WallClock(self.timeZone)
        let today = clock.localDay(of: instant)
        // A slot lands on its own local day, so starting a day early and going eight days on covers a week; the
        // margin is for zones that skipped a whole day (Pacific/Apia on 2011-12-30).
        for day in (today - 1)...(today + 14) where self.days.contains(Weekday(day: day)) {
            for time in self.times {
                let slot = clock.instant(ofLocal: day * 86_400 + time.secondsSinceMidnight)
                if slot > instant { return slot }
            }
        }
        return nil
    }

    /// The latest refresh at or before `instant`.
    public func previous(atOrBefore instant: Date) -> Date? {
        let clock = WallClock(self.timeZone)
        let today = clock.localDay(of: instant)
        for day in stride(from: today + 1, through: today - 14, by: -1) where self.days.contains(Weekday(day: day)) {
            for time in self.times.reversed() {
                let slot = clock.instant(ofLocal: day * 86_400 + time.secondsSinceMidnight)
                if slot <= instant { return slot }
            }
        }
        return nil
    }

    /// The refresh that was missed and should run now, if any: the latest slot after the last run (or, when it
    /// never ran, after `since`, the enrichment's creation) and at or before `now`.
    ///
    /// However many slots passed, they run once — as systemd timers with `Persistent=true` catch up.
    public func due(lastRun: Date?, since: Date, now: Date) -> Date? {
        let start = lastRun ?? since
        guard let slot = self.previous(atOrBefore: now), slot > start else { return nil }
        return slot
    }

    /// "daily at 06:00 and 18:00 Europe/Paris", "Mon, Thu at 06:00 Europe/Paris".
    public var description: String {
        let days = self.isDaily ? "daily" : self.days.map(\.shortName).joined(separator: ", ")
        let times = self.times.map(\.description)
        let listed = times.count == 1
            ? times[0] : times.dropLast().joined(separator: ", ") + " and " + times[times.count - 1]
        return "\(days) at \(listed) \(self.timeZoneIdentifier)"
    }
}

extension RefreshSchedule {
    /// A day of the week, numbered as ISO 8601 does (Monday 1 … Sunday 7), named as `"days"` writes it.
    public enum Weekday: Int, CaseIterable, Comparable, Sendable {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The day of a day number counted from 1970-01-01, a Thursday.
        init(day: Int) {
            let remainder = (day + 3) % 7
            self.init(rawValue: (remainder < 0 ? remainder + 7 : remainder) + 1)!
        }

        /// `mon`, `tue`, …, any case.
        public init?(name: String) {
            guard let day = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = day
        }

        /// As `"days"` writes it: `mon`, `tue`, ….
        public var name: String {
            switch self {
            case .monday: "mon"
            case .tuesday: "tue"
            case .wednesday: "wed"
            case .thursday: "thu"
            case .friday: "fri"
            case .saturday: "sat"
            case .sunday: "sun"
            }
        }

        /// For people: `Mon`, `Tue`, ….
        public var shortName: String { self.name.prefix(1).uppercased() + self.name.dropFirst() }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A time of day on the wall clock, to the minute: `"06:00"`.
    public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
        public let hour: Int
        public let minute: Int

        public init?(hour: Int, minute: Int) {
            guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            self.hour = hour
            self.minute = minute
        }

        /// Exactly `HH:MM`, two digits each, 00:00–23:59.
        public init?(_ text: String) {
            let bytes = Array(text.utf8)
            guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
                [0, 1, 3, 4].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) })
            else { return nil }
            func digit(_ index: Int) -> Int { Int(bytes[index] - UInt8(ascii: "0")) }
            self.init(hour: digit(0) * 10 + digit(1), minute: digit(3) * 10 + digit(4))
        }

        var secondsSinceMidnight: Int { self.hour * 3600 + self.minute * 60 }

        public var description: String {
            (self.hour < 10 ? "0" : "") + "\(self.hour):" + (self.minute < 10 ? "0" : "") + "\(self.minute)"
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute)
        }
    }
}
