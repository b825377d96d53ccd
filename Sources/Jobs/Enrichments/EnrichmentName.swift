import Formats

/// A saved enrichment's name: the directory `enrichments/NAME/` in the spool, so it must be a file name that is
/// safe everywhere — in a path, a shell, a URL and the journal.
public struct EnrichmentName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maximumLength = 100

    public let rawValue: String

    /// A name of 1–100 ASCII letters, digits, `.`, `_` and `-`, not starting with `.` (no hidden files, no `..`).
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The name, or a diagnostic saying what is wrong with it.
    public init(validating text: String) throws(JobError) {
        guard let name = Self(rawValue: text) else { throw Self.diagnostic(for: text) }
        self = name
    }

    public var description: String { self.rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy(Self.isAllowed)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func diagnostic(for text: String) -> JobError {
        let shown = "\"" + CSVFormat.jsonEscaped(text) + "\""
        let reason: String
        if text.isEmpty {
            reason = "an enrichment name must not be empty"
        } else if text.utf8.count > Self.maximumLength {
            reason = "the enrichment name \(shown) is \(text.utf8.count) bytes long; "
                + "at most \(Self.maximumLength) are allowed"
        } else if text.hasPrefix(".") {
            reason = "the enrichment name \(shown) starts with \".\""
        } else {
            reason = "the enrichment name \(shown) contains characters other than letters, digits, "
                + "\".\", \"_\" and \"-\""
        }
        return JobError(
            .invalidValue, reason,
            hint: "name it with 1–100 ASCII letters, digits, \".\", \"_\" or \"-\", not starting with \".\", "
                + "e.g. \"emea-accounts\"")
    }
}
