import Foundation

/// A streaming RFC 4180 CSV reader: memory stays bounded by the longest record, whatever the file's size.
///
/// Accepts a UTF-8 byte order mark, CRLF, LF or lone CR line ends, and quoted fields with doubled quotes and
/// line breaks. Rejects what would silently corrupt data: invalid UTF-8, NUL bytes, ragged rows, quotes left
/// open, fields over ``maximumFieldBytes`` and records over ``maximumFields`` fields. Errors name the line, and
/// say what the file looks like when that is the likely cause (Windows-1252, UTF-16 without a byte order mark).
///
/// The ``CSVFormat`` names the delimiter and the encoding. A file that starts with a UTF-16 byte order mark is
/// read as UTF-16 unless the format names another encoding; other encodings are turned into UTF-8 chunk by chunk
/// under the scanner (``TranscodingSource``), UTF-8 is parsed straight from the file's bytes.
///
/// A file named `*.jsonl` or `*.ndjson` is read as JSON Lines instead (see ``JSONLinesScanner``): the same
/// records, its keys the header.
///
/// Two ways to read: ``next()`` returns a record of `String`s; ``advance()`` parses the next record in place,
/// and ``current`` shows its fields' bytes without building strings. The hot loops of a job (millions of rows,
/// a few columns used) take the second way.
public final class CSVReader {
    public struct Record: Sendable {
        public var fields: [String]
        /// 1-based line where the record starts.
        public var line: Int
    }

    public static let maximumFieldBytes = 1 << 20
    public static let maximumFields = 4096

    public private(set) var header: [String]
    /// The file's size when it was opened, in bytes.
    public let fileSize: Int
    /// The file name used in diagnostics (relative to the job bundle).
    public let displayName: String
    private var scanner: CSVScanner
    private let lines: JSONLinesScanner?

    /// Whether a path names a JSON Lines file (by its extension).
    public static func isJSONLines(_ path: String) -> Bool {
        ["jsonl", "ndjson"].contains((path as NSString).pathExtension.lowercased())
    }

    public var isJSONLines: Bool { self.lines != nil }

    /// The delimiter the file is read with.
    public let delimiter: UInt8

    /// Opens `path`. `bufferCapacity` is the initial read buffer (it grows for a longer record); tests and the
    /// fuzzer make it tiny so records straddle refills everywhere. `settingsKey` names the input in hints
    /// ("set "encoding": "windows-1252" for customers").
    public init(path: String, displayName: String, format: CSVFormat = CSVFormat(), settingsKey: String? = nil,
                bufferCapacity: Int = 1 << 18) throws(Diagnostic) {
        self.displayName = displayName
        self.delimiter = format.delimiter
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            throw Diagnostic(code == ENOENT ? .fileNotFound : .unreadableFile,
                           code == ENOENT ? "file not found" : "cannot open file: \(String(cString: strerror(code)))",
                           file: displayName)
        }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw Diagnostic(.unreadableFile, "not a regular file", file: displayName,
                           hint: "name a plain file; directories, FIFOs, devices and symbolic links are refused")
        }
        // O_NONBLOCK only guarded the open against FIFOs; reads of a regular file never block.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fileSize = Int(status.st_size)
        self.header = []
        if Self.isJSONLines(path) {
            self.scanner = CSVScanner(descriptor: -1, displayName: displayName, capacity: 4)
            guard (format.encoding ?? .utf8) == .utf8, format.delimiter == UInt8(ascii: ",") else {
                close(fd)
                self.lines = nil
                throw Diagnostic(.invalidValue, "a JSON Lines file is always read as UTF-8, without a delimiter",
                                 file: displayName, hint: "remove \"encoding\" and \"delimiter\" for a .jsonl file")
            }
            do {
                let lines = try JSONLinesScanner(descriptor: fd, displayName: displayName, bufferCapacity: bufferCapacity)
                self.lines = lines
                self.header = lines.header
            } catch {
                // The scanner closed the descriptor (its deinit runs when its init throws).
                self.lines = nil
                throw error
            }
            return
        }
        self.lines = nil
        self.scanner = CSVScanner(descriptor: fd, displayName: displayName, capacity: max(bufferCapacity, 4),
                                  delimiter: format.delimiter, settingsKey: settingsKey)
        // From here on deinit runs even when init throws, and releases the scanner's descriptor and buffers.
        try self.scanner.start(encoding: format.encoding)
        guard try self.scanner.readRecord(expectedCount: nil) else {
            throw Diagnostic(.emptyFile, "the file is empty; expected a header row", file: displayName)
        }
        let record = self.scanner.record
        let trimmed = (0..<record.count).map { record.string($0).trimmingCharacters(in: .whitespaces) }
        if trimmed.allSatisfy(\.isEmpty) {
            throw Diagnostic(.emptyFile, "the header row is empty", file: displayName, line: record.line)
        }
        self.header = trimmed
    }

    deinit {
        self.scanner.release()
    }

    /// The next record, or `nil` at the end of the file. Every record has exactly as many fields as the header.
    public func next() throws(Diagnostic) -> Record? {
        guard try self.advance() else { return nil }
        let record = self.current
        return Record(fields: (0..<record.count).map(record.string), line: record.line)
    }

    /// Parses the next record (see ``current``); `false` at the end of the file.
    public func advance() throws(Diagnostic) -> Bool {
        if let lines = self.lines { return try lines.readRecord() }
        return try self.scanner.readRecord(expectedCount: self.header.count)
    }

    /// The record the last ``advance()`` or ``next()`` parsed. Valid until the next one.
    public var current: CSVRecord { self.lines?.record ?? self.scanner.record }

    /// 1-based line where the current record starts.
    public var recordLine: Int { self.lines?.recordLine ?? self.scanner.recordLine }

    /// How many bytes of the file the records read so far (and the header) span.
    public var consumedBytes: Int { self.lines?.consumedBytes ?? self.scanner.consumedBytes }

    /// The column index of a header name.
    public func column(named name: String) -> Int? {
        self.header.firstIndex(of: name)
    }

    /// Every column index of a header name (more than one: the header names it twice).
    public func columns(named name: String) -> [Int] {
        self.header.indices.filter { self.header[$0] == name }
    }
}

/// A view of one parsed record's fields: valid UTF-8, quotes removed, in the reader's buffer. Valid until the
/// reader parses the next record.
public struct CSVRecord {
    let base: UnsafePointer<UInt8>
    let starts: UnsafePointer<Int>
    let ends: UnsafePointer<Int>
    public let count: Int
    /// 1-based line where the record starts.
    public let line: Int

    /// The bytes of field `index`.
    @inline(__always)
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: self.base + self.starts[index], count: self.ends[index] - self.starts[index])
    }

    /// Field `index` as a string.
    public func string(_ index: Int) -> String {
        String(decoding: self.field(index), as: UTF8.self)
    }
}

/// The reader's state and parsing loop. A struct, so the per-byte work touches no class properties (each access
/// to one is checked for exclusivity at run time).
///
/// Records are parsed in place: a field is a range of the input buffer (a quoted field is unescaped over its own
/// bytes, which only shrinks it). A record that runs past the end of the buffer is moved to the front before the
/// next read; the buffer grows only for a record longer than itself.
struct CSVScanner {
    private var descriptor: Int32
    private let displayName: String
    private let delimiter: UInt8
    /// Names the input in hints (`customers`).
    private let settingsKey: String?
    /// Where the bytes come from when the file is not UTF-8 (`nil`: straight from `descriptor`).
    private var source: TranscodingSource?
    /// What the file's first bytes look like when they are UTF-16 without a byte order mark (for NUL errors).
    private var unmarkedUTF16: TextEncoding?
    private var input: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var atEnd = false
    private var line = 1
    /// Where the current (or next) record starts in `input`.
    private var position = 0
    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var fieldCapacity = 64
    private var fieldCount = 0
    private(set) var recordLine = 0
    /// Bytes read from the file so far.
    private var bytesRead = 0

    /// In bytes of the file (a transcoded file's UTF-8 is scaled back to its size in the file's encoding).
    var consumedBytes: Int {
        let consumed = self.bytesRead - (self.filled - self.position)
        guard let source = self.source, source.decodedBytesOut > 0 else { return consumed }
        return Int(Double(consumed) * Double(source.rawBytesRead) / Double(source.decodedBytesOut))
    }

    init(descriptor: Int32, displayName: String, capacity: Int, delimiter: UInt8 = UInt8(ascii: ","),
         settingsKey: String? = nil) {
        self.descriptor = descriptor
        self.displayName = displayName
        self.delimiter = delimiter
        self.settingsKey = settingsKey
        self.capacity = capacity
        self.input = .allocate(capacity: self.capacity)
        self.starts = .allocate(capacity: self.fieldCapacity)
        self.ends = .allocate(capacity: self.fieldCapacity)
    }

    mutating func release() {
        if self.descriptor >= 0 { close(self.descriptor) }
        self.descriptor = -1
        self.input.deallocate()
        self.starts.deallocate()
        self.ends.deallocate()
    }

    var record: CSVRecord {
        CSVRecord(base: self.input, starts: self.starts, ends: self.ends, count: self.fieldCount, line: self.recordLine)
    }

    /// The first read; picks the byte source for `encoding` and the file's byte order mark, and skips a UTF-8
    /// byte order mark (a UTF-16 one is decoded into it).
    mutating func start(encoding: TextEncoding?) throws(Diagnostic) {
        if let kind = try self.sourceKind(encoding) {
            self.source = TranscodingSource(kind: kind, descriptor: self.descriptor, displayName: self.displayName,
                                            chunkSize: self.capacity)
        }
        var (i, fieldStart, w) = (0, 0, 0)
        _ = try self.fetch(&i, &fieldStart, &w)
        if self.filled >= 3, self.input[0] == 0xEF, self.input[1] == 0xBB, self.input[2] == 0xBF {
            self.position = 3
        }
    }

    private func error(_ code: Diagnostic.Code, _ message: String, line: Int? = nil) -> Diagnostic {
        Diagnostic(code, message, file: self.displayName, line: line ?? self.line)
    }

    /// How to read a file in `encoding` (`nil`: as UTF-8, no byte source) given its first bytes: a UTF-16 byte
    /// order mark decides unless the encoding says otherwise, which is refused.
    private mutating func sourceKind(_ encoding: TextEncoding?) throws(Diagnostic) -> TranscodingSource.Kind? {
        var head = [UInt8](repeating: 0, count: 512)
        let count = head.withUnsafeMutableBytes { pread(self.descriptor, $0.baseAddress, $0.count, 0) }
        head = Array(head.prefix(max(count, 0)))
        let mark: Bool? = head.starts(with: [0xFF, 0xFE]) ? false : head.starts(with: [0xFE, 0xFF]) ? true : nil
        let utf8Mark = head.starts(with: [0xEF, 0xBB, 0xBF])
        func refuse(_ found: String, _ fix: String) -> Diagnostic {
            Diagnostic(.invalidEncoding, "the file starts with a \(found) byte order mark, but \"encoding\" is "
                       + "\"\(encoding?.rawValue ?? "")\"", file: self.displayName, line: 1,
                       hint: CSVFormat.setting("encoding", fix, settingsKey: self.settingsKey) + " (or remove it)")
        }
        let marked = mark.map { $0 ? "UTF-16 (big-endian)" : "UTF-16 (little-endian)" }
        switch encoding {
        case nil, .utf16:
            if let mark { return .utf16(bigEndian: mark) }
            if encoding == .utf16 { return .utf16(bigEndian: false) }
            self.unmarkedUTF16 = Self.unmarkedUTF16(head)
            return nil
        case .utf8:
            if let marked { throw refuse(marked, "utf-16") }
            self.unmarkedUTF16 = Self.unmarkedUTF16(head)
            return nil
        case .utf16LittleEndian, .utf16BigEndian:
            let bigEndian = encoding == .utf16BigEndian
            if let mark, mark != bigEndian, let marked { throw refuse(marked, mark ? "utf-16be" : "utf-16le") }
            return .utf16(bigEndian: bigEndian)
        case .windows1252, .iso88591:
            if let marked { throw refuse(marked, "utf-16") }
            if utf8Mark { throw refuse("UTF-8", "utf-8") }
            return encoding == .windows1252 ? .windows1252 : .iso88591
        }
    }

    /// UTF-16 without a byte order mark shows as NULs in every other byte of mostly-ASCII text: at the odd
    /// offsets little-endian, at the even ones big-endian.
    static func unmarkedUTF16(_ head: [UInt8]) -> TextEncoding? {
        let pairs = head.count / 2
        guard pairs >= 2 else { return nil }
        var evenNULs = 0, oddNULs = 0
        for index in 0..<pairs * 2 where head[index] == 0 {
            if index % 2 == 0 { evenNULs += 1 } else { oddNULs += 1 }
        }
        if oddNULs * 10 >= pairs * 6 && evenNULs * 10 < pairs { return .utf16LittleEndian }
        if evenNULs * 10 >= pairs * 6 && oddNULs * 10 < pairs { return .utf16BigEndian }
        return nil
    }

    private func nulError(recordLine: Int) -> Diagnostic {
        var error = self.error(
            .malformedCSV, "NUL byte in field \(recordLine == self.line ? "" : "starting on line \(recordLine) ")",
            line: self.line)
        if let unmarkedUTF16 {
            let order = unmarkedUTF16 == .utf16BigEndian ? "big-endian" : "little-endian"
            error.hint = "this looks like UTF-16 (\(order)) without a byte order mark: "
                + CSVFormat.setting("encoding", unmarkedUTF16.rawValue, settingsKey: self.settingsKey)
        }
        return error
    }

    /// Reads more of the file after `filled`, first moving the current record to the front of the buffer (the
    /// offsets `i`, `fieldStart` and `w` and the record's field ranges move with it). `false` at the end of the file.
    private mutating func fetch(_ i: inout Int, _ fieldStart: inout Int, _ w: inout Int) throws(Diagnostic) -> Bool {
        guard !self.atEnd else { return false }
        let shift = self.position
        if shift > 0 {
            memmove(self.input, self.input + shift, self.filled - shift)
            self.filled -= shift
            self.position = 0
            i -= shift
            fieldStart -= shift
            w -= shift
            for k in 0..<self.fieldCount {
                self.starts[k] -= shift
                self.ends[k] -= shift
            }
        } else if self.filled == self.capacity {
            // One record fills the whole buffer: grow it (fields are bounded, so records are too).
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity * 2)
            grown.update(from: self.input, count: self.filled)
            self.input.deallocate()
            self.input = grown
            self.capacity *= 2
        }
        if let source = self.source {
            var count = 0
            do {
                count = try source.read(into: self.input + self.filled, count: self.capacity - self.filled)
            } catch {
                var error = error
                error.line = error.line ?? self.line
                throw error
            }
            if count == 0 {
                self.atEnd = true
                return false
            }
            self.filled += count
            self.bytesRead += count
            return true
        }
        while true {
            let count = read(self.descriptor, self.input + self.filled, self.capacity - self.filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw self.error(.unreadableFile, "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                self.atEnd = true
                return false
            }
            self.filled += count
            self.bytesRead += count
            return true
        }
    }

    /// Records field `input[start..<end]`; `high` is the OR of its bytes (a set top bit: check it is UTF-8).
    @inline(__always)
    private mutating func finishField(_ start: Int, _ end: Int, high: UInt8, recordLine: Int) throws(Diagnostic) {
        guard self.fieldCount < CSVReader.maximumFields else {
            throw self.error(.malformedCSV, "record has more than \(CSVReader.maximumFields) fields", line: recordLine)
        }
        if high & 0x80 != 0 {
            let bytes = UnsafeBufferPointer(start: self.input + start, count: end - start)
            guard String(validating: bytes, as: UTF8.self) != nil else {
                var error = self.error(.invalidUTF8, "field \(self.fieldCount + 1) is not valid UTF-8",
                                       line: recordLine)
                if self.source == nil, Windows1252.isPlausible(bytes) {
                    error.hint = "this looks like Windows-1252 (or ISO-8859-1): "
                        + CSVFormat.setting("encoding", TextEncoding.windows1252.rawValue, settingsKey: self.settingsKey)
                }
                throw error
            }
        }
        if self.fieldCount == self.fieldCapacity {
            let capacity = self.fieldCapacity * 2
            let starts = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            let ends = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            starts.update(from: self.starts, count: self.fieldCount)
            ends.update(from: self.ends, count: self.fieldCount)
            self.starts.deallocate()
            self.ends.deallocate()
            self.starts = starts
            self.ends = ends
            self.fieldCapacity = capacity
        }
        self.starts[self.fieldCount] = start
        self.ends[self.fieldCount] = end
        self.fieldCount += 1
    }

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"),
        quote = UInt8(ascii: "\"")

    /// Where the unquoted run starting at `start` ends: at the first delimiter, line break or NUL before `end`.
    /// ORs the run's bytes into `high`. Eight bytes at a time (SWAR) on little-endian machines.
    @inline(__always)
    private static func unquotedRun(_ input: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int,
                                    delimiter: UInt8, high: inout UInt8) -> Int {
        var j = start
        var seen: UInt64 = 0
        #if _endian(little)
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 {
            (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
        }
        while j + 8 <= end {
            let word = UnsafeRawPointer(input + j).loadUnaligned(as: UInt64.self)
            let stops = zeroBytes(word ^ delimiterWord) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D) | zeroBytes(word)
            if stops != 0 {
                // The lowest flagged byte is exact (borrows only flag bytes above a real match).
                let k = stops.trailingZeroBitCount >> 3
                if k > 0 { seen |= word & (UInt64.max >> (64 - 8 * k)) }
                if seen & 0x8080_8080_8080_8080 != 0 { high |= 0x80 }
                return j + k
            }
            seen |= word
            j += 8
        }
        #endif
        while j < end {
            let byte = input[j]
            if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn || byte == 0 { break }
            seen |= UInt64(byte)
            j += 1
        }
        if seen & 0x8080_8080_8080_8080 != 0 { high |= 0x80 }
        return j
    }

    /// Parses one record; `false` at the end of the file. Skips blank lines. Checks the field count against
    /// `expectedCount` (the header's).
    mutating func readRecord(expectedCount: Int?) throws(Diagnostic) -> Bool {
        let maximumFieldBytes = CSVReader.maximumFieldBytes
        let delimiter = self.delimiter
        while true {
            let recordLine = self.line
            self.recordLine = recordLine
            self.fieldCount = 0
            var i = self.position  // read cursor
            var fieldStart = i  // first byte of the current field's value
            var w = i  // write cursor of a quoted field's unescaped value
            var sawAnything = false
            var inQuotes = false
            var quotedField = false
            var fieldStarted = false
            var quoteLine = 0
            var high: UInt8 = 0
            scan: while true {
                if i == self.filled {
                    guard try self.fetch(&i, &fieldStart, &w) else {
                        if inQuotes {
                            throw self.error(.malformedCSV, "a quote opened on line \(quoteLine) is never closed",
                                             line: quoteLine)
                        }
                        if !sawAnything {
                            self.position = i
                            return false
                        }
                        try self.finishField(fieldStart, quotedField ? w : i, high: high, recordLine: recordLine)
                        break scan
                    }
                }
                sawAnything = true
                let byte = self.input[i]
                if inQuotes {
                    if byte == Self.quote {
                        if i + 1 == self.filled { _ = try self.fetch(&i, &fieldStart, &w) }
                        let following: UInt8? = i + 1 < self.filled ? self.input[i + 1] : nil
                        if following == Self.quote {
                            self.input[w] = Self.quote
                            w += 1
                            i += 2
                        } else {
                            inQuotes = false
                            i += 1
                            if let following, following != delimiter, following != Self.newline,
                                following != Self.carriageReturn
                            {
                                throw self.error(.malformedCSV,
                                                 "unexpected character after a closing quote in field \(self.fieldCount + 1)")
                            }
                        }
                    } else {
                        if byte == 0 { throw self.nulError(recordLine: recordLine) }
                        var j = i + 1
                        if byte == Self.newline {
                            self.line += 1
                        } else {
                            while j < self.filled {
                                let next = self.input[j]
                                if next == Self.quote || next == Self.newline || next == 0 { break }
                                j += 1
                            }
                        }
                        for k in i..<j { high |= self.input[k] }
                        if w != i { memmove(self.input + w, self.input + i, j - i) }
                        w += j - i
                        i = j
                    }
                    if w - fieldStart > maximumFieldBytes {
                        throw self.error(.malformedCSV, "a field is longer than \(maximumFieldBytes) bytes",
                                         line: recordLine)
                    }
                    continue
                }
                switch byte {
                case delimiter:
                    try self.finishField(fieldStart, quotedField ? w : i, high: high, recordLine: recordLine)
                    i += 1
                    fieldStart = i
                    w = i
                    high = 0
                    fieldStarted = false
                    quotedField = false
                case Self.newline, Self.carriageReturn:
                    try self.finishField(fieldStart, quotedField ? w : i, high: high, recordLine: recordLine)
                    i += 1
                    if byte == Self.carriageReturn {
                        if i == self.filled { _ = try self.fetch(&i, &fieldStart, &w) }
                        if i < self.filled && self.input[i] == Self.newline { i += 1 }
                    }
                    self.line += 1
                    break scan
                case Self.quote where !fieldStarted:
                    inQuotes = true
                    fieldStarted = true
                    quotedField = true
                    quoteLine = self.line
                    i += 1
                    fieldStart = i
                    w = i
                default:
                    fieldStarted = true
                    let j = Self.unquotedRun(self.input, from: i, to: self.filled, delimiter: delimiter, high: &high)
                    if j == i { throw self.nulError(recordLine: recordLine) }
                    i = j
                    if i - fieldStart > maximumFieldBytes {
                        throw self.error(.malformedCSV, "a field is longer than \(maximumFieldBytes) bytes",
                                         line: recordLine)
                    }
                }
            }
            self.position = i
            // A blank line is not a record.
            if self.fieldCount == 1 && self.ends[0] == self.starts[0] && expectedCount != 1 { continue }
            if let expectedCount, self.fieldCount != expectedCount {
                throw self.error(.raggedRow,
                                 "line has \(self.fieldCount) field\(self.fieldCount == 1 ? "" : "s"), the header has \(expectedCount)",
                                 line: recordLine)
            }
            return true
        }
    }
}
