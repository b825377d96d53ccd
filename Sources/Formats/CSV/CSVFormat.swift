/// How a CSV file is written: its field delimiter and its text encoding (a descriptor's `"delimiter"` and
/// `"encoding"` per input file).
public struct CSVFormat: Sendable, Equatable {
    /// The field delimiter, one of ``delimiters``.
    public var delimiter: UInt8
    /// `nil`: UTF-8, or UTF-16 when the file starts with a UTF-16 byte order mark.
    public var encoding: TextEncoding?

    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding? = nil) {
        self.delimiter = delimiter
        self.encoding = encoding
    }

    /// The delimiters a descriptor may name, as written in JSON, with the word hints use for them.
    public static let delimiters: [(byte: UInt8, text: String, name: String)] = [
        (UInt8(ascii: ","), ",", "comma"), (UInt8(ascii: ";"), ";", "semicolon"), (UInt8(ascii: "\t"), "\t", "tab"),
        (UInt8(ascii: "|"), "|", "pipe"),
    ]

    /// The JSON spelling of a delimiter: `"\t"` for a tab.
    public static func jsonText(_ delimiter: UInt8) -> String {
        delimiter == UInt8(ascii: "\t") ? "\\t" : String(UnicodeScalar(delimiter))
    }

    /// A value as JSON would escape its control characters (a hint quoting a bad value stays one line).
    public static func jsonEscaped(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// "set "encoding": "windows-1252" for customers": how to fix a file's format in its descriptor, where
    /// `settingsKey` names the input (`customers`, `contacts`).
    static func setting(_ key: String, _ value: String, settingsKey: String?) -> String {
        "set \"\(key)\": \"\(value)\"" + (settingsKey.map { " for \($0)" } ?? "")
    }

    /// The hint for a file whose header reads as one column (or without the named ones) but holds another
    /// delimiter: "this looks like a semicolon-separated file: set "delimiter": ";" for customers".
    public static func delimiterHint(_ delimiter: UInt8, settingsKey: String?) -> String {
        let name = Self.delimiters.first { $0.byte == delimiter }?.name ?? "delimiter"
        return "this looks like a \(name)-separated file: "
            + Self.setting("delimiter", Self.jsonText(delimiter), settingsKey: settingsKey)
    }

    /// The delimiter a header row was probably written with when it is not `current`: the most frequent of the
    /// other ``delimiters`` in its text, `nil` when none occurs.
    public static func likelyDelimiter(header: [String], current: UInt8) -> UInt8? {
        let text = header.joined(separator: String(UnicodeScalar(current)))
        var best: (byte: UInt8, count: Int)?
        for candidate in Self.delimiters where candidate.byte != current {
            let count = text.utf8.reduce(0) { $0 + ($1 == candidate.byte ? 1 : 0) }
            if count > 0 && count > (best?.count ?? 0) { best = (candidate.byte, count) }
        }
        return best?.byte
    }
}

/// A text encoding an input file may be in. Everything is turned into UTF-8 as it is read (see
/// ``TranscodingSource``); UTF-8 itself is read as it is.
public enum TextEncoding: String, Sendable, CaseIterable, Equatable {
    case utf8 = "utf-8"
    /// UTF-16 with the byte order its byte order mark says; little-endian (as Windows writes it) without one.
    case utf16 = "utf-16"
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"

    /// The encoding a descriptor names, compared without case (`"UTF-8"` is `utf-8`).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The accepted names, for hints.
    public static var names: String {
        Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }
}
