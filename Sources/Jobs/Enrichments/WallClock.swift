import Foundation

/// Converts between instants and one time zone's wall clock, with the daylight-saving rule refreshes follow.
///
/// Wall-clock times are "local seconds": seconds since 1970-01-01 00:00 as that zone's clocks show them, so days
/// and times of day are plain integer arithmetic. The way back to an instant is done here rather than with
/// `Calendar.date(from:)` because that puts a skipped 02:30 at 03:30 (the gap's length later), while a refresh
/// set for 02:30 must run at 03:00, when the clocks show the first time after the gap.
struct WallClock {
    let timeZone: TimeZone

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The zone's offset from UTC at an instant, in seconds.
    func offset(at instant: Int) -> Int {
        self.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// The wall clock's reading at an instant, in local seconds.
    func local(_ instant: Int) -> Int { instant + self.offset(at: instant) }

    /// The local day (days since 1970-01-01 on the wall clock) an instant falls on.
    func localDay(of instant: Date) -> Int {
        let local = self.local(Int(instant.timeIntervalSince1970.rounded(.down)))
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// The instant the wall clock first shows `local`; for a reading the clocks skip, the first instant after
    /// the gap.
    func instant(ofLocal local: Int) -> Date {
        // Every offset in force within a day of that reading; a reading maps to `local - offset` for each offset
        // that is really in force then: none in a gap, two when the clocks go back.
        let offsets = Set([-86_400, 0, 86_400].map { self.offset(at: local + $0) })
        let matches = offsets.map { local - $0 }.filter { self.offset(at: $0) == local - $0 }
        if let first = matches.min() {
            return Date(timeIntervalSince1970: TimeInterval(first))
        }
        // In a gap: the transition lies between the two readings' candidates; find its second.
        var before = local - offsets.max()!
        var after = local - offsets.min()!
        guard self.local(before) < local, self.local(after) > local else {
            return Date(timeIntervalSince1970: TimeInterval(after))
        }
        while after - before > 1 {
            let middle = before + (after - before) / 2
            if self.local(middle) > local { after = middle } else { before = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(after))
    }
}
