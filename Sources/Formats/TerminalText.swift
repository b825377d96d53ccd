/// Text that came from a submitter (a job's name, its output table, file and column names, values) or from
/// Leadspace, made safe to show on a terminal or in a log line: a terminal obeys the escape sequences in what it
/// prints, so another user's job name must never carry one.
///
/// Control characters are the sequences' only way in: C0 (ESC, BEL, backspace, carriage return…), DEL and C1
/// (U+0080–U+009F: CSI and OSC in one code point). The bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) do not drive the terminal but reorder what it shows, so a name could make a line read as
/// another; they are escaped too. Everything else, including every printable letter of every script, is kept.
public enum TerminalText {
    /// One value: tab, line breaks and backslashes are written `\t`, `\n`, `\r`, `\\` and the rest as `\xNN` or
    /// `\u{NNNN}`, so the value stays on its line, in its column, and reads back unambiguously.
    public static func escaped(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { Self.isUnsafe($0) || $0 == "\\" }) else { return value }
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count + 8)
        for scalar in value.unicodeScalars {
            if scalar == "\\" { out += "\\\\" } else { Self.append(scalar, to: &out) }
        }
        return out
    }

    /// A whole message or line of the program's own text with values in it: the same characters are escaped,
    /// except that the program's own backslashes stay as they are, and line breaks when `keepingLines` (a
    /// message of several lines printed as such).
    public static func safe(_ text: String, keepingLines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { Self.isUnsafe($0) && !(keepingLines && $0 == "\n") })
        else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if keepingLines && scalar == "\n" { out.unicodeScalars.append(scalar) } else { Self.append(scalar, to: &out) }
        }
        return out
    }

    /// Whether a terminal would act on the scalar rather than show it.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case _ where scalar.value < 0x100 && Self.isUnsafe(scalar): out += "\\x" + Self.hex(scalar.value, digits: 2)
        case _ where Self.isUnsafe(scalar): out += "\\u{" + Self.hex(scalar.value, digits: 4) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
