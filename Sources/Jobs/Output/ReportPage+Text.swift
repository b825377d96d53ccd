import Formats
import Foundation

/// How the page writes text: escaped where it comes from the submitter, numbers with separators, times and
/// states as people read them.
extension ReportPage {
    /// `text` as HTML text or a double-quoted attribute value.
    ///
    /// Control characters are shown, not sent: each is a parse error in HTML, and a terminal escape when someone
    /// `cat`s the page. They read as `enrichctl` shows them (``TerminalText``: ESC is `\x1b`, the bidirectional
    /// overrides `\u{202e}`), noncharacters as the replacement character; tabs and line breaks stay (they are
    /// whitespace in HTML).
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where TerminalText.isUnsafe(scalar): escaped += TerminalText.escaped(String(scalar))
            case _ where scalar.properties.isNoncharacterCodePoint: escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `12345` as `12,345`.
    static func number(_ value: Int) -> String { NumberText.grouped(value) }

    /// A percentage to one decimal: `93.0%`.
    static func percent(_ value: Double) -> String { NumberText.percent(value) }

    /// `count` of `total` as a percentage (0 of nothing is 0%).
    static func share(_ count: Int, of total: Int) -> Double {
        total == 0 ? 0 : Double(count) * 100 / Double(total)
    }

    /// A timestamp from `result.json` in a `<time>` element (the stylesheet keeps it on one line): ISO 8601 in
    /// UTC (`2025-03-14T11:02:07.123Z`) reads as `2025-03-14 11:02:07 UTC`, anything else as it is.
    static func time(_ timestamp: String) -> String {
        guard !timestamp.isEmpty else { return "—" }
        var readable = timestamp
        let parts = timestamp.split(separator: "T", maxSplits: 1)
        if parts.count == 2, parts[0].count == 10, parts[1].count >= 9, timestamp.hasSuffix("Z") {
            readable = "\(parts[0]) \(parts[1].prefix(8)) UTC"
        }
        return "<time datetime=\"\(Self.escape(timestamp))\">\(Self.escape(readable))</time>"
    }

    /// A job's duration in the largest units that matter: `4.2 s`, `12 min 5 s`, `1 h 35 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }

    /// A job's state as people say it, capitalised as a label: `Completed with warnings`.
    static func words(for state: ResultSummary.State) -> String {
        state.words.prefix(1).uppercased() + state.words.dropFirst()
    }
}
