import Foundation

/// Timestamps in outputs, results and progress: ISO 8601 in UTC, with its `Z`, to the millisecond.
public enum Timestamp {
    public static func now() -> String { self.iso(Date()) }

    public static func iso(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// The date of a timestamp written by ``iso(_:)`` (or one without its milliseconds), nil for anything else.
    public static func date(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
