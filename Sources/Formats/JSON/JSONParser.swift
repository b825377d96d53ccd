/// A strict RFC 8259 JSON parser that reports errors by line and column and bounds nesting depth.
///
/// Foundation's parser reports neither reliably; descriptors and configuration files are written by people,
/// and a good diagnostic must say where the problem is.
public struct JSONParser {
    public struct SyntaxError: Error, Equatable, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
    }

    /// Deeper documents are rejected: legitimate descriptors nest a handful of levels.
    public static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    /// The byte a one-letter escape stands for (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`); `nil` for `\u` and
    /// anything else. Shared with the answer reader (`FlatJSONReader`).
    public static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var column: Int { self.index - self.lineStart + 1 }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(message: message, line: self.line, column: self.column)
    }

    private mutating func parseDocument() throws(SyntaxError) -> JSONNode {
        // A UTF-8 byte order mark is tolerated, as editors on Windows write one.
        if self.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.index = 3
            self.lineStart = 3
        }
        self.skipWhitespace()
        guard self.index < self.bytes.count else { throw self.error("the file is empty; expected a JSON object") }
        let node = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else {
            throw self.error("unexpected \(self.describeCurrent()) after the end of the JSON value")
        }
        return node
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                self.index += 1
            case UInt8(ascii: "\n"):
                self.index += 1
                self.line += 1
                self.lineStart = self.index
            default:
                return
            }
        }
    }

    private func describeCurrent() -> String {
        guard self.index < self.bytes.count else { return "end of file" }
        let byte = self.bytes[self.index]
        if byte >= 0x20 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private mutating func parseValue() throws(SyntaxError) -> JSONNode {
        guard self.index < self.bytes.count else { throw self.error("unexpected end of file; expected a value") }
        let line = self.line
        let column = self.column
        let value: JSONNode.Value
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): value = try self.parseObject()
        case UInt8(ascii: "["): value = try self.parseArray()
        case UInt8(ascii: "\""): value = .string(try self.parseString())
        case UInt8(ascii: "t"): try self.expectLiteral("true"); value = .bool(true)
        case UInt8(ascii: "f"): try self.expectLiteral("false"); value = .bool(false)
        case UInt8(ascii: "n"): try self.expectLiteral("null"); value = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try self.parseNumber()
        default: throw self.error("unexpected \(self.describeCurrent()); expected a value")
        }
        return JSONNode(value: value, line: line, column: column)
    }

    private mutating func expectLiteral(_ literal: String) throws(SyntaxError) {
        let expected = Array(literal.utf8)
        let count = expected.count
        let matches =
            self.index + count <= self.bytes.count && self.bytes[self.index..<self.index + count].elementsEqual(expected)
        guard matches else { throw self.error("invalid literal; expected '\(literal)'") }
        self.index += count
    }

    private mutating func enter() throws(SyntaxError) {
        self.depth += 1
        if self.depth > Self.maximumDepth {
            throw self.error("nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONNode.Value {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var members: [(key: String, value: JSONNode)] = []
        var seen = Set<String>()
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.error("unexpected \(self.describeCurrent()); expected a key in double quotes")
            }
            let keyLine = self.line
            let keyColumn = self.column
            let key = try self.parseString()
            guard seen.insert(key).inserted else {
                throw SyntaxError(message: "duplicate key \"\(key)\"", line: keyLine, column: keyColumn)
            }
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else {
                throw self.error("unexpected \(self.describeCurrent()); expected ':' after key \"\(key)\"")
            }
            self.index += 1
            self.skipWhitespace()
            members.append((key, try self.parseValue()))
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("unexpected end of file; expected ',' or '}'") }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"): self.index += 1; return .object(members)
            default: throw self.error("unexpected \(self.describeCurrent()); expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONNode.Value {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var elements: [JSONNode] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("unexpected end of file; expected ',' or ']'") }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"): self.index += 1; return .array(elements)
            default: throw self.error("unexpected \(self.describeCurrent()); expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONNode.Value {
        let start = self.index
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index])
            {
                parser.index += 1
            }
            return parser.index - from
        }
        let integerStart = self.index
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw self.error("invalid number; expected a digit") }
        if integerDigits > 1 && self.bytes[integerStart] == UInt8(ascii: "0") {
            throw SyntaxError(message: "invalid number; leading zeros are not allowed", line: self.line,
                              column: integerStart - self.lineStart + 1)
        }
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ".") {
            self.index += 1
            guard digits(&self) > 0 else { throw self.error("invalid number; expected a digit after '.'") }
        }
        if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            self.index += 1
            if self.index < self.bytes.count,
                self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-")
            {
                self.index += 1
            }
            guard digits(&self) > 0 else { throw self.error("invalid number; expected a digit in the exponent") }
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        return .number(text, Double(text) ?? .infinity)
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        self.index += 1
        var scalars: [UInt8] = []
        let startLine = self.line
        while true {
            guard self.index < self.bytes.count else {
                throw SyntaxError(message: "unterminated string (the quote opened on line \(startLine) is never closed)",
                                  line: self.line, column: self.column)
            }
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                guard let string = String(validating: scalars, as: UTF8.self) else {
                    throw self.error("string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                self.index += 1
                guard self.index < self.bytes.count else { throw self.error("unterminated escape sequence") }
                let escape = self.bytes[self.index]
                self.index += 1
                switch escape {
                case _ where Self.unescaped(escape) != nil:
                    scalars.append(Self.unescaped(escape)!)
                case UInt8(ascii: "u"):
                    var code = try self.parseHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                            self.bytes[self.index + 1] == UInt8(ascii: "u")
                        else { throw self.error("unpaired UTF-16 surrogate in \\u escape") }
                        self.index += 2
                        let low = try self.parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw self.error("unpaired UTF-16 surrogate in \\u escape")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw self.error("unpaired UTF-16 surrogate in \\u escape")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw self.error("invalid \\u escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw self.error("invalid escape sequence '\\\(Character(Unicode.Scalar(escape)))'")
                }
            case 0x00..<0x20:
                throw self.error(byte == 0x0A ? "unterminated string (a newline inside quotes)"
                                 : "control character 0x\(String(byte, radix: 16)) inside a string; escape it")
            default:
                scalars.append(byte)
                self.index += 1
            }
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw self.error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }
}
