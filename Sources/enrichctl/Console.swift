import CLinux
import Formats
import Foundation

/// Everything enrichctl writes for a person goes through here: job names, output tables, file and column names
/// and values are chosen by submitters (and answers by Leadspace), and a terminal obeys the escape sequences in
/// what it prints. Each line is made safe (``TerminalText/safe(_:keepingLines:)``) on its way out, so no command
/// can forget one field. JSON output is escaped by the JSON writer (``printJSON(_:)``).
enum Console {
    static func print(_ text: String) {
        Swift.print(TerminalText.safe(text, keepingLines: true))
    }

    /// Hands what was printed to standard output on now: to a pipe, stdout is block-buffered, and a line of
    /// `status --follow` must reach whoever reads it (`| tee`, a script) when it is printed, not at exit.
    static func flush() {
        fflush(nil)  // every output stream (naming stdout is not concurrency-safe in Swift 6)
    }

    /// A line on standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.safe(text, keepingLines: true) + "\n").utf8))
    }

    /// Writes without a newline and unbuffered: the progress line of `status --follow` redraws itself with the
    /// terminal's own sequences, which are added after `text` is made safe.
    static func redraw(_ control: String, _ text: String) {
        FileHandle.standardOutput.write(Data((control + TerminalText.safe(text, keepingLines: true)).utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The width to fit: the terminal's, else `COLUMNS`, else 80 (as `ls` does).
    static var width: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// The columns `text` takes on a terminal: wcwidth(3) of each scalar (wide CJK letters take two, combining
    /// marks none; anything unknown one).
    static func columns(_ text: String) -> Int {
        Self.ensureLocale
        return text.unicodeScalars.reduce(0) { total, scalar in
            let width = wcwidth(wchar_t(bitPattern: scalar.value))
            return total + (width < 0 ? 1 : Int(width))
        }
    }

    /// `text` cut to `width` columns, ending in `…` when it was longer.
    static func fit(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        guard Self.columns(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let columns = Self.columns(String(character))
            if used + columns > width - 1 { break }
            out.append(character)
            used += columns
        }
        return out + "…"
    }

    /// `line` broken at spaces into lines of at most `width` columns, the continuation lines indented two more
    /// than the first; a word longer than a line (a path) stays whole.
    static func wrap(_ line: String, width: Int) -> String {
        guard Self.columns(line) > width else { return line }
        let indent = String(repeating: " ", count: line.prefix { $0 == " " }.count)
        let continuation = indent + "  "
        var lines: [String] = []
        var current = indent
        for word in line.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.trimmingCharacters(in: .whitespaces).isEmpty ? current + word : current + " " + word
            if Self.columns(candidate) > width && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = continuation + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// `text` fitted to `width` columns, then padded with spaces to exactly that many.
    static func cell(_ text: String, width: Int) -> String {
        let fitted = Self.fit(text, width: width)
        return fitted + String(repeating: " ", count: max(0, width - Self.columns(fitted)))
    }

    /// wcwidth(3) needs a UTF-8 character type; the C locale would call every non-ASCII letter unprintable.
    private static let ensureLocale: Void = {
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "") }
    }()
}

/// Pretty-printed JSON with sorted keys on standard output. JSONEncoder escapes C0 controls; C1 controls
/// (U+0080–U+009F, which some terminals read as CSI and OSC) and the bidirectional overrides it writes raw, so
/// they are escaped here too (`\u009b`: the same string to any JSON reader).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(value), as: UTF8.self)
    guard text.unicodeScalars.contains(where: TerminalText.isUnsafe) else { return Swift.print(text) }
    var out = ""
    for scalar in text.unicodeScalars {
        if TerminalText.isUnsafe(scalar) && scalar != "\n" {
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    Swift.print(out)
}
