/// A problem in an input a person can fix: why a file could not be read, or (as `JobError`, in Jobs) why a job
/// was rejected or failed, written as `error.json` and printed by `enrichctl validate`.
///
/// Reads like a compiler diagnostic: what is wrong (`message`), where (`file`, `line`, `column`, `keyPath`)
/// and how to fix it (`hint`).
public struct Diagnostic: Error, Codable, Equatable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable name of the problem, e.g. `missingColumn`.
    public var code: Code
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// Where in a JSON document, e.g. `mapping.primary.companyName`.
    public var keyPath: String?
    public var hint: String?

    public init(
        _ code: Code,
        _ message: String,
        file: String? = nil,
        line: Int? = nil,
        column: Int? = nil,
        keyPath: String? = nil,
        hint: String? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.hint = hint
    }

    /// `file:line:column: error: message (at keyPath)` followed by `hint: …` on its own line.
    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        var text = location.isEmpty ? "error: " : "\(location): error: "
        text += self.message
        if let keyPath, !keyPath.isEmpty { text += " (at \(keyPath))" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public struct Code: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.rawValue)
        }
        public var description: String { self.rawValue }

        public static let invalidJSON = Code(rawValue: "invalidJSON")
        public static let unknownKey = Code(rawValue: "unknownKey")
        public static let wrongType = Code(rawValue: "wrongType")
        public static let missingKey = Code(rawValue: "missingKey")
        public static let invalidValue = Code(rawValue: "invalidValue")
        public static let fileNotFound = Code(rawValue: "fileNotFound")
        public static let unreadableFile = Code(rawValue: "unreadableFile")
        public static let emptyFile = Code(rawValue: "emptyFile")
        public static let invalidUTF8 = Code(rawValue: "invalidUTF8")
        /// Not text in the encoding the descriptor names (or its byte order mark says).
        public static let invalidEncoding = Code(rawValue: "invalidEncoding")
        public static let malformedCSV = Code(rawValue: "malformedCSV")
        public static let raggedRow = Code(rawValue: "raggedRow")
    }
}
