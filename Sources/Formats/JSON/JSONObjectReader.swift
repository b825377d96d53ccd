/// Reads a JSON object's members by name with typed accessors, tracking the key path for diagnostics and
/// rejecting keys nobody asked for (a misspelt key must not be silently ignored).
public final class JSONObjectReader {
    private let members: [(key: String, value: JSONNode)]
    private let node: JSONNode
    private let path: String
    private let file: String?
    private var consumed = Set<String>()

    public init(_ node: JSONNode, path: String = "", file: String?) throws(Diagnostic) {
        guard case .object(let members) = node.value else {
            throw Diagnostic(.wrongType, "expected an object, found \(node.typeDescription)", file: file,
                           line: node.line, column: node.column, keyPath: path.isEmpty ? nil : path)
        }
        self.members = members
        self.node = node
        self.path = path
        self.file = file
    }

    /// Parses a whole document, which must be an object.
    public static func document(_ bytes: [UInt8], file: String?) throws(Diagnostic) -> JSONObjectReader {
        let node: JSONNode
        do {
            node = try JSONParser.parse(bytes)
        } catch {
            throw Diagnostic(.invalidJSON, "invalid JSON: \(error.message)", file: file, line: error.line,
                           column: error.column)
        }
        return try JSONObjectReader(node, file: file)
    }

    private func keyPath(_ key: String) -> String { self.path.isEmpty ? key : "\(self.path).\(key)" }

    private func member(_ key: String) -> JSONNode? {
        self.consumed.insert(key)
        guard let node = self.members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = node.value { return nil }
        return node
    }

    private func typeError(_ key: String, _ expected: String, _ node: JSONNode) -> Diagnostic {
        Diagnostic(.wrongType, "\"\(key)\" must be \(expected), found \(node.typeDescription)", file: self.file,
                 line: node.line, column: node.column, keyPath: self.keyPath(key))
    }

    public func missing(_ key: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.missingKey, "required key \"\(key)\" is missing", file: self.file, line: self.node.line,
                 column: self.node.column, keyPath: self.keyPath(key), hint: hint)
    }

    /// An error about the value at `key`, located at that value.
    public func invalid(_ key: String, _ message: String, hint: String? = nil) -> Diagnostic {
        let node = self.members.first(where: { $0.key == key })?.value ?? self.node
        return Diagnostic(.invalidValue, message, file: self.file, line: node.line, column: node.column,
                        keyPath: self.keyPath(key), hint: hint)
    }

    public func has(_ key: String) -> Bool {
        self.member(key) != nil
    }

    public func string(_ key: String) throws(Diagnostic) -> String? {
        guard let node = self.member(key) else { return nil }
        guard case .string(let value) = node.value else { throw self.typeError(key, "a string", node) }
        return value
    }

    public func requiredString(_ key: String, hint: String? = nil) throws(Diagnostic) -> String {
        guard let value = try self.string(key) else { throw self.missing(key, hint: hint) }
        return value
    }

    /// A string that must not be empty or only spaces, when present.
    public func nonEmptyString(_ key: String) throws(Diagnostic) -> String? {
        guard let value = try self.string(key) else { return nil }
        guard !value.allSatisfy(\.isWhitespace) else { throw self.invalid(key, "\"\(key)\" must not be empty") }
        return value
    }

    public func bool(_ key: String) throws(Diagnostic) -> Bool? {
        guard let node = self.member(key) else { return nil }
        guard case .bool(let value) = node.value else { throw self.typeError(key, "true or false", node) }
        return value
    }

    public func double(_ key: String, range: ClosedRange<Double>) throws(Diagnostic) -> Double? {
        guard let node = self.member(key) else { return nil }
        guard case .number(let text, let value) = node.value else { throw self.typeError(key, "a number", node) }
        guard value.isFinite, range.contains(value) else {
            throw self.invalid(key, "\"\(key)\" is \(text); it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    public func integer(_ key: String, range: ClosedRange<Int>) throws(Diagnostic) -> Int? {
        guard let node = self.member(key) else { return nil }
        guard case .number(let text, let value) = node.value, value.rounded() == value, value.isFinite else {
            throw self.typeError(key, "a whole number", node)
        }
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw self.invalid(key, "\"\(key)\" is \(text); it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return Int(value)
    }

    public func object(_ key: String) throws(Diagnostic) -> JSONObjectReader? {
        guard let node = self.member(key) else { return nil }
        guard case .object = node.value else { throw self.typeError(key, "an object", node) }
        return try JSONObjectReader(node, path: self.keyPath(key), file: self.file)
    }

    /// The members of an object-valued key, each as its own reader (for maps such as `connections`).
    public func objectMap(_ key: String) throws(Diagnostic) -> [(key: String, reader: JSONObjectReader)]? {
        guard let node = self.member(key) else { return nil }
        guard case .object(let members) = node.value else { throw self.typeError(key, "an object", node) }
        var result: [(key: String, reader: JSONObjectReader)] = []
        for member in members {
            result.append((member.key, try JSONObjectReader(member.value, path: "\(self.keyPath(key)).\(member.key)",
                                                            file: self.file)))
        }
        return result
    }

    public func stringArray(_ key: String) throws(Diagnostic) -> [String]? {
        guard let node = self.member(key) else { return nil }
        guard case .array(let elements) = node.value else { throw self.typeError(key, "an array of strings", node) }
        var strings: [String] = []
        for (offset, element) in elements.enumerated() {
            guard case .string(let value) = element.value else {
                throw Diagnostic(.wrongType, "\"\(key)\" must contain only strings, found \(element.typeDescription)",
                               file: self.file, line: element.line, column: element.column,
                               keyPath: "\(self.keyPath(key))[\(offset)]")
            }
            strings.append(value)
        }
        return strings
    }

    /// Rejects every member that no accessor asked for, naming the allowed keys.
    public func finish() throws(Diagnostic) {
        for member in self.members where !self.consumed.contains(member.key) {
            let allowed = self.consumed.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            let suggestion = self.consumed.min { Self.distance($0, member.key) < Self.distance($1, member.key) }
            var hint = "allowed keys here: \(allowed)"
            if let suggestion, Self.distance(suggestion, member.key) <= 2 {
                hint = "did you mean \"\(suggestion)\"? " + hint
            }
            throw Diagnostic(.unknownKey, "unknown key \"\(member.key)\"", file: self.file, line: member.value.line,
                           column: member.value.column, keyPath: self.keyPath(member.key), hint: hint)
        }
    }

    /// Levenshtein distance, for "did you mean" hints on short keys.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
