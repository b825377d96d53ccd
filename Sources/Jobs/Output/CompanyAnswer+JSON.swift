import Formats

/// A compact JSON form of answers for the job ledger and the lookup cache, written and read without Foundation's
/// coders: a warm job reads and records tens of thousands of answers before its first row is written, and
/// `JSONEncoder`/`JSONDecoder` cost tens of microseconds each. The keys are the `Codable` ones, so either side
/// reads what the other wrote.
extension CompanyAnswer {
    /// The answer as one line of JSON (no line breaks).
    public var jsonBytes: [UInt8] {
        var json = JSONBytes()
        json.object { json in
            json.member("status", self.status.rawValue)
            json.member("confidence", self.confidence)
            if let company = self.company {
                json.key("company")
                json.object { json in
                    for (name, value) in company.jsonMembers { json.member(name, value) }
                }
            }
            if let person = self.person {
                json.key("person")
                json.object { json in
                    for (name, value) in person.jsonMembers { json.member(name, value) }
                }
            }
            json.member("reason", self.reason)
            json.member("trackingID", self.trackingID)
            json.member("source", self.source)
            json.member("answeredAt", self.answeredAt)
        }
        return json.bytes
    }

    /// Reads what ``jsonBytes`` (or `JSONEncoder`) wrote; `nil` for anything else.
    public init?(json: [UInt8]) {
        if let answer = json.withUnsafeBufferPointer({ bytes -> CompanyAnswer? in
            var reader = FlatJSONReader(bytes: bytes)
            return reader.answer()
        }) {
            self = answer
            return
        }
        // Not in the flat shape the fast reader knows (numbers, arrays…): the full parser decides.
        guard let node = try? JSONParser.parse(json) else { return nil }
        self.init(node: node)
    }

    public init?(node: JSONNode) {
        guard case .object(let members) = node.value else { return nil }
        var status: Status?
        var answer = CompanyAnswer(status: .error, answeredAt: "")
        var sawSource = false
        var sawAnsweredAt = false
        for (key, value) in members {
            switch key {
            case "status":
                guard let text = value.stringValue, let parsed = Status(rawValue: text) else { return nil }
                status = parsed
            case "confidence": answer.confidence = value.stringValue
            case "reason": answer.reason = value.stringValue
            case "trackingID": answer.trackingID = value.stringValue
            case "source":
                guard let text = value.stringValue else { return nil }
                answer.source = text
                sawSource = true
            case "answeredAt":
                guard let text = value.stringValue else { return nil }
                answer.answeredAt = CompanyAnswer.utc(text)
                sawAnsweredAt = true
            case "company":
                guard case .object(let fields) = value.value else { continue }
                var company = CompanyFields()
                for (name, field) in fields { company.setJSONMember(name, field.stringValue) }
                answer.company = company
            case "person":
                guard case .object(let fields) = value.value else { continue }
                var person = PersonFields()
                for (name, field) in fields { person.setJSONMember(name, field.stringValue) }
                answer.person = person
            default:
                continue
            }
        }
        guard let status, sawSource, sawAnsweredAt else { return nil }
        answer.status = status
        self = answer
    }
}

extension CompanyFields {
    /// The JSON members, in ``Field`` order (the `Codable` order).
    var jsonMembers: some Sequence<(String, String?)> {
        zip(Field.allCases.lazy.map(\.jsonName), self.values)
    }

    /// Sets the member named `name`; unknown names are ignored (a newer writer's fields).
    mutating func setJSONMember(_ name: String, _ value: String?) {
        if let field = Field.byJSONName[name] { self[field] = value }
    }
}

extension PersonFields {
    /// The JSON members, in the `Codable` order (written by name, not through key paths: this runs per answer).
    var jsonMembers: [(String, String?)] {
        [
            ("leadspacePersonId", self.leadspacePersonId),
            ("title", self.title),
            ("jobLevel", self.jobLevel),
            ("department", self.department),
            ("persona", self.persona),
            ("personaScore", self.personaScore),
            ("emailVerification", self.emailVerification),
            ("verificationStatus", self.verificationStatus),
            ("linkedInUrl", self.linkedInUrl),
            ("phone", self.phone),
        ]
    }

    /// Sets the member named `name`; unknown names are ignored (a newer writer's fields).
    mutating func setJSONMember(_ name: String, _ value: String?) {
        switch name {
        case "leadspacePersonId": self.leadspacePersonId = value
        case "title": self.title = value
        case "jobLevel": self.jobLevel = value
        case "department": self.department = value
        case "persona": self.persona = value
        case "personaScore": self.personaScore = value
        case "emailVerification": self.emailVerification = value
        case "verificationStatus": self.verificationStatus = value
        case "linkedInUrl": self.linkedInUrl = value
        case "phone": self.phone = value
        default: break
        }
    }
}

extension JSONNode {
    /// The string, if the value is one.
    public var stringValue: String? {
        if case .string(let text) = self.value { return text }
        return nil
    }
}

/// Builds compact JSON text; keys and strings are escaped per RFC 8259.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init() {}

    public mutating func object(_ body: (inout JSONBytes) -> Void) {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
        self.bytes.append(UInt8(ascii: "{"))
        self.needsComma = false
        body(&self)
        self.bytes.append(UInt8(ascii: "}"))
        self.needsComma = true
    }

    public mutating func key(_ key: String) {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
        self.string(key)
        self.bytes.append(UInt8(ascii: ":"))
        self.needsComma = false
    }

    /// A string member; nothing for `nil` (as `Codable` omits absent optionals).
    public mutating func member(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        self.string(value)
        self.needsComma = true
    }

    /// An array of strings as a member's value.
    public mutating func member(_ key: String, strings: [String]) {
        self.key(key)
        self.bytes.append(UInt8(ascii: "["))
        for (index, value) in strings.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.string(value)
        }
        self.bytes.append(UInt8(ascii: "]"))
        self.needsComma = true
    }

    /// Raw JSON text as a member's value (must be one valid JSON value).
    public mutating func member(_ key: String, raw: [UInt8]) {
        self.key(key)
        self.bytes.append(contentsOf: raw)
        self.needsComma = true
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func string(_ value: String) {
        self.bytes.append(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            self.bytes.append(contentsOf: value.utf8)
            self.bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                self.bytes.append(contentsOf: Array("\\u00".utf8))
                self.bytes.append(Self.hex[Int(byte >> 4)])
                self.bytes.append(Self.hex[Int(byte & 0xF)])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }
}

/// Reads an answer in the shape ``CompanyAnswer/jsonBytes`` writes — an object of strings with at most the
/// nested `company` and `person` objects of strings — in one pass without building a tree. Anything else gives
/// `nil` (and the caller falls back to ``JSONParser``).
struct FlatJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func answer() -> CompanyAnswer? {
        var answer = CompanyAnswer(status: .error, answeredAt: "")
        var status: CompanyAnswer.Status?
        var sawSource = false
        var sawAnsweredAt = false
        let complete = self.object { reader, key in
            if key == "company" || key == "person" {
                guard reader.peek() == UInt8(ascii: "{") else { return reader.skipNull() }
                var company = CompanyFields()
                var person = PersonFields()
                let isCompany = key == "company"
                let nested = reader.object { reader, field in
                    guard let value = reader.stringOrNull() else { return false }
                    if isCompany { company.setJSONMember(field, value) } else { person.setJSONMember(field, value) }
                    return true
                }
                if isCompany { answer.company = company } else { answer.person = person }
                return nested
            }
            guard let value = reader.stringOrNull() else { return false }
            switch key {
            case "status":
                guard let value, let parsed = CompanyAnswer.Status(rawValue: value) else { return false }
                status = parsed
            case "confidence": answer.confidence = value
            case "reason": answer.reason = value
            case "trackingID": answer.trackingID = value
            case "source":
                guard let value else { return false }
                answer.source = value
                sawSource = true
            case "answeredAt":
                guard let value else { return false }
                answer.answeredAt = CompanyAnswer.utc(value)
                sawAnsweredAt = true
            default: break
            }
            return true
        }
        self.skipWhitespace()
        guard complete, self.index == self.bytes.count, let status, sawSource, sawAnsweredAt else { return nil }
        answer.status = status
        return answer
    }

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        self.skipWhitespace()
        guard self.peek() == byte else { return false }
        self.index += 1
        return true
    }

    /// `{ "key": value, … }`, calling `member` to read each value.
    private mutating func object(_ member: (inout FlatJSONReader, String) -> Bool) -> Bool {
        guard self.consume(UInt8(ascii: "{")) else { return false }
        if self.consume(UInt8(ascii: "}")) { return true }
        while true {
            self.skipWhitespace()
            guard let key = self.string(), self.consume(UInt8(ascii: ":")) else { return false }
            self.skipWhitespace()
            guard member(&self, key) else { return false }
            if self.consume(UInt8(ascii: "}")) { return true }
            guard self.consume(UInt8(ascii: ",")) else { return false }
        }
    }

    private mutating func skipNull() -> Bool {
        guard self.index + 4 <= self.bytes.count, self.bytes[self.index] == UInt8(ascii: "n"),
            self.bytes[self.index + 1] == UInt8(ascii: "u"), self.bytes[self.index + 2] == UInt8(ascii: "l"),
            self.bytes[self.index + 3] == UInt8(ascii: "l")
        else { return false }
        self.index += 4
        return true
    }

    /// A string, or `.some(nil)` for `null`; `nil` for anything else.
    private mutating func stringOrNull() -> String?? {
        if self.peek() == UInt8(ascii: "n") { return self.skipNull() ? .some(nil) : nil }
        return self.string().map { .some($0) }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func hex4() -> UInt32? {
        guard self.index + 4 <= self.bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(self.bytes[self.index]) else { return nil }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }

    private mutating func string() -> String? {
        guard self.peek() == UInt8(ascii: "\"") else { return nil }
        self.index += 1
        let start = self.index
        // The common case: no escapes, one slice.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                // (Decoding, not validating: these bytes were written by this daemon.)
                let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
                self.index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            self.index += 1
        }
        var text = Array(self.bytes[start..<self.index])
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = self.peek() else { return nil }
                self.index += 1
                switch escaped {
                case _ where JSONParser.unescaped(escaped) != nil:
                    text.append(JSONParser.unescaped(escaped)!)
                case UInt8(ascii: "u"):
                    guard var scalar = self.hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard self.index + 2 <= self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                            self.bytes[self.index + 1] == UInt8(ascii: "u")
                        else { return nil }
                        self.index += 2
                        guard let low = self.hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    text.append(contentsOf: String(unicode).utf8)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                text.append(byte)
            }
        }
        return nil
    }
}
