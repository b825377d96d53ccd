import Formats
import Foundation

extension RefreshSchedule {
    /// Reads `{"days": "daily" | ["mon", "thu"], "times": ["06:00", "18:00"], "timeZone": "Europe/Paris"}`,
    /// refusing every bad value with its key path (`schedule.times[2]`).
    public static func parse(_ reader: JSONObjectReader) throws(JobError) -> RefreshSchedule {
        let days = try Self.parseDays(reader)
        let times = try Self.parseTimes(reader)
        let identifier = try reader.requiredString(
            "timeZone", hint: "add the time zone the times are in, e.g. \"timeZone\": \"Europe/Paris\"")
        guard TimeZone(identifier: identifier) != nil else {
            let sameButCase = TimeZone.knownTimeZoneIdentifiers.first { $0.lowercased() == identifier.lowercased() }
            throw reader.invalid(
                "timeZone", "unknown time zone \"\(CSVFormat.jsonEscaped(identifier))\"",
                hint: sameButCase.map { "did you mean \"\($0)\"?" }
                    ?? "use an IANA time zone name such as \"Europe/Paris\", \"America/New_York\" or \"UTC\" "
                    + "(timedatectl list-timezones lists them)")
        }
        try reader.finish()
        // Every part was checked above, so only an impossible schedule would be refused here.
        guard let schedule = RefreshSchedule(days: days, times: times, timeZoneIdentifier: identifier) else {
            throw reader.invalid("timeZone", "the schedule could not be built")
        }
        return schedule
    }

    private static let daysHint = "write \"daily\", or list the days, e.g. [\"mon\", \"thu\"]"

    private static func parseDays(_ reader: JSONObjectReader) throws(JobError) -> [Weekday] {
        // `days` is the one key of two types; the reader has an accessor per type, so the string is tried first
        // and a type error sends it to the array accessor.
        let names: [String]
        do throws(JobError) {
            guard let text = try reader.string("days") else {
                throw reader.missing(
                    "days", hint: "add \"days\": \"daily\", or a list of days such as [\"mon\", \"thu\"]")
            }
            guard text.lowercased() == "daily" else {
                throw reader.invalid(
                    "days", "\"\(CSVFormat.jsonEscaped(text))\" is not \"daily\" or a list of days",
                    hint: Self.daysHint)
            }
            return Weekday.allCases
        } catch where error.code == .wrongType {
            do throws(JobError) {
                names = try reader.stringArray("days") ?? []
            } catch where error.keyPath == reader.missing("days").keyPath {
                // `days` itself is neither a string nor an array (an element's error names `days[i]`).
                var neither = error
                neither.message = "\"days\" must be \"daily\" or a list of days"
                neither.hint = Self.daysHint
                throw neither
            }
        }
        guard !names.isEmpty else { throw reader.invalid("days", "\"days\" is empty", hint: Self.daysHint) }
        var days: [Weekday] = []
        for (index, name) in names.enumerated() {
            guard let day = Weekday(name: name) else {
                throw Self.elementError(
                    reader, "days", index, "\"\(CSVFormat.jsonEscaped(name))\" is not a day of the week",
                    hint: "use mon, tue, wed, thu, fri, sat or sun (or \"days\": \"daily\")")
            }
            guard !days.contains(day) else {
                throw Self.elementError(
                    reader, "days", index, "\"\(name)\" is listed twice", hint: "list each day once")
            }
            days.append(day)
        }
        return days
    }

    private static func parseTimes(_ reader: JSONObjectReader) throws(JobError) -> [TimeOfDay] {
        let hint = "list one to four times of day as HH:MM, e.g. \"times\": [\"06:00\", \"18:00\"]"
        guard let texts = try reader.stringArray("times") else { throw reader.missing("times", hint: hint) }
        guard !texts.isEmpty else { throw reader.invalid("times", "\"times\" is empty", hint: hint) }
        guard texts.count <= Self.maximumTimesPerDay else {
            throw reader.invalid(
                "times", "\"times\" lists \(texts.count) times: at most four refreshes a day",
                hint: "keep at most four times of day")
        }
        var times: [TimeOfDay] = []
        for (index, text) in texts.enumerated() {
            guard let time = TimeOfDay(text) else {
                let parts = text.split(separator: ":", omittingEmptySubsequences: false)
                let isNumeric = parts.count == 2
                    && parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
                let specific =
                    !isNumeric ? hint
                    : text.utf8.count < 5 ? "write hours and minutes with two digits each, e.g. \"07:05\""
                    : "hours run from 00 to 23 and minutes from 00 to 59 (midnight is \"00:00\")"
                throw Self.elementError(
                    reader, "times", index,
                    "\"\(CSVFormat.jsonEscaped(text))\" is not a time of day (HH:MM, 00:00–23:59)", hint: specific)
            }
            guard !times.contains(time) else {
                throw Self.elementError(
                    reader, "times", index, "\"\(text)\" is listed twice", hint: "list each time once")
            }
            times.append(time)
        }
        return times
    }

    /// An error about one element of an array, located at the array (the reader keeps no element positions).
    private static func elementError(
        _ reader: JSONObjectReader, _ key: String, _ index: Int, _ message: String, hint: String
    ) -> JobError {
        var error = reader.invalid(key, message, hint: hint)
        error.keyPath = (error.keyPath ?? key) + "[\(index)]"
        return error
    }
}
