import Foundation

/// JSON Lines input for ``CSVReader``: one JSON object per line, its members the row's columns.
///
/// The columns ("header") are the keys of every object in the file, in the order first seen, so a key that
/// only later rows have is still a column; a first pass over the file finds them (and rejects a malformed line
/// before any work is done), the second yields the records. A key a row lacks, or `null`, is an empty field;
/// strings are taken as they are, numbers as written, booleans as `true`/`false`. Nested arrays and objects,
/// NUL characters, invalid UTF-8 and a line that is not an object are errors naming the line. Blank lines are
/// skipped; as in a CSV header, a UTF-8 byte order mark is accepted and keys are trimmed. Memory stays bounded by
/// the longest line.
final class JSONLinesScanner {
    private let descriptor: Int32
    private let displayName: String
    private var chunk: [UInt8]
    private var position = 0
    private var filled = 0
    private var atEnd = false
    private var nextLine = 1
    private var bytesRead = 0
    private(set) var header: [String] = []
    private var columns: [String: Int] = [:]
    private var output: [UInt8] = []
    private var line: [UInt8] = []
    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var fieldCapacity = 0
    private(set) var recordLine = 0
    private var base: UnsafeMutablePointer<UInt8>
    private var baseCapacity = 0

    static let maximumLineBytes = 4 << 20

    var consumedBytes: Int { self.bytesRead - (self.filled - self.position) }

    /// Reads the whole file once for its columns; the descriptor (which the scanner now owns and closes) is then
    /// rewound for the records.
    init(descriptor: Int32, displayName: String, bufferCapacity: Int) throws(Diagnostic) {
        self.descriptor = descriptor
        self.displayName = displayName
        self.chunk = [UInt8](repeating: 0, count: max(bufferCapacity, 4))
        self.starts = .allocate(capacity: 1)
        self.ends = .allocate(capacity: 1)
        self.base = .allocate(capacity: 1)
        while let number = try self.readLine() {
            for member in try self.object(number) where self.columns[Self.column(member.key)] == nil {
                guard self.header.count < CSVReader.maximumFields else {
                    throw Diagnostic(.malformedCSV, "more than \(CSVReader.maximumFields) distinct keys",
                                   file: displayName, line: number)
                }
                self.columns[Self.column(member.key)] = self.header.count
                self.header.append(Self.column(member.key))
            }
        }
        guard !self.header.isEmpty else {
            throw Diagnostic(.emptyFile, "the file holds no JSON object with a key", file: displayName)
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw Diagnostic(.unreadableFile, "cannot read the file again: \(String(cString: strerror(errno)))",
                           file: displayName)
        }
        (self.position, self.filled, self.atEnd, self.nextLine, self.bytesRead) = (0, 0, false, 1, 0)
        self.fieldCapacity = self.header.count
        self.starts.deallocate()
        self.ends.deallocate()
        self.starts = .allocate(capacity: self.fieldCapacity)
        self.ends = .allocate(capacity: self.fieldCapacity)
    }

    deinit {
        close(self.descriptor)
        self.starts.deallocate()
        self.ends.deallocate()
        self.base.deallocate()
    }

    var record: CSVRecord {
        CSVRecord(base: self.base, starts: self.starts, ends: self.ends, count: self.header.count, line: self.recordLine)
    }

    /// Parses the next object into the record's fields; `false` at the end of the file.
    func readRecord() throws(Diagnostic) -> Bool {
        guard let number = try self.readLine() else { return false }
        let members = try self.object(number)
        self.recordLine = number
        self.output.removeAll(keepingCapacity: true)
        for index in 0..<self.header.count {
            self.starts[index] = 0
            self.ends[index] = 0
        }
        for member in members {
            guard let index = self.columns[Self.column(member.key)] else {
                throw Diagnostic(.malformedCSV, "key \"\(member.key)\" appeared while the file was read (it changed?)",
                               file: self.displayName, line: number)
            }
            let start = self.output.count
            switch member.value.value {
            case .null: break
            case .bool(let value): self.output.append(contentsOf: (value ? "true" : "false").utf8)
            case .number(let text, _): self.output.append(contentsOf: text.utf8)
            case .string(let text):
                guard !text.utf8.contains(0) else {
                    throw Diagnostic(.malformedCSV, "the value of \"\(member.key)\" contains a NUL character",
                                   file: self.displayName, line: number, column: member.value.column)
                }
                self.output.append(contentsOf: text.utf8)
            case .array, .object:
                throw Diagnostic(.invalidValue, "the value of \"\(member.key)\" is \(member.value.typeDescription); "
                    + "columns hold strings, numbers, booleans or null",
                               file: self.displayName, line: number, column: member.value.column,
                               hint: "flatten nested values into keys of their own")
            }
            self.starts[index] = start
            self.ends[index] = self.output.count
        }
        if self.baseCapacity < self.output.count {
            self.base.deallocate()
            self.baseCapacity = max(self.output.count, self.baseCapacity * 2)
            self.base = .allocate(capacity: self.baseCapacity)
        }
        self.output.withUnsafeBufferPointer { bytes in
            if let source = bytes.baseAddress { self.base.update(from: source, count: bytes.count) }
        }
        return true
    }

    /// A key as a column name: trimmed, as CSV header names are.
    private static func column(_ key: String) -> String {
        key.trimmingCharacters(in: .whitespaces)
    }

    /// The members of the object on the line just read, or an error naming the line.
    private func object(_ number: Int) throws(Diagnostic) -> [(key: String, value: JSONNode)] {
        let line = self.line
        guard String(validating: line, as: UTF8.self) != nil else {
            throw Diagnostic(.invalidUTF8, "the line is not valid UTF-8", file: self.displayName, line: number)
        }
        let node: JSONNode
        do {
            node = try JSONParser.parse(line)
        } catch {
            throw Diagnostic(.invalidJSON, "not a JSON object: \(error.message)", file: self.displayName, line: number,
                           column: error.column)
        }
        guard case .object(let members) = node.value else {
            throw Diagnostic(.invalidJSON, "each line must be a JSON object, this one is \(node.typeDescription)",
                           file: self.displayName, line: number)
        }
        return members
    }

    /// Reads the next line that is not blank into `line` (without its line end) and returns its 1-based number;
    /// `nil` at the end.
    private func readLine() throws(Diagnostic) -> Int? {
        while true {
            self.line.removeAll(keepingCapacity: true)
            var complete = false
            while !complete {
                if self.position == self.filled {
                    if self.atEnd { break }
                    let count = self.chunk.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress!, $0.count) }
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw Diagnostic(.unreadableFile, "cannot read: \(String(cString: strerror(errno)))",
                                       file: self.displayName)
                    }
                    (self.position, self.filled) = (0, count)
                    self.bytesRead += count
                    if count == 0 { self.atEnd = true }
                    continue
                }
                let end = self.chunk[self.position..<self.filled].firstIndex(of: UInt8(ascii: "\n"))
                self.line.append(contentsOf: self.chunk[self.position..<(end ?? self.filled)])
                self.position = end.map { $0 + 1 } ?? self.filled
                complete = end != nil
                guard self.line.count <= Self.maximumLineBytes else {
                    throw Diagnostic(.malformedCSV, "line longer than \(Self.maximumLineBytes) bytes",
                                   file: self.displayName, line: self.nextLine)
                }
            }
            if self.line.isEmpty && !complete { return nil }
            let number = self.nextLine
            self.nextLine += 1
            if number == 1 && self.line.starts(with: [0xEF, 0xBB, 0xBF]) { self.line.removeFirst(3) }
            if self.line.last == UInt8(ascii: "\r") { self.line.removeLast() }
            if self.line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return number
        }
    }
}
