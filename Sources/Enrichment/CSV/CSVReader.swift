import Foundation

/// A streaming RFC 4180 CSV reader: memory stays bounded by the longest record, whatever the file's size.
///
/// Accepts a UTF-8 byte order mark, CRLF, LF or lone CR line ends, and quoted fields with doubled quotes and
/// line breaks. Rejects what would silently corrupt data: invalid UTF-8, NUL bytes, ragged rows, quotes left
/// open, fields over ``maximumFieldBytes`` and records over ``maximumFields`` fields. Errors name the line.
public final class CSVReader {
    public struct Record: Sendable {
        public var fields: [String]
        /// 1-based line where the record starts.
        public var line: Int
    }

    public static let maximumFieldBytes = 1 << 20
    public static let maximumFields = 4096

    public private(set) var header: [String]
    /// The file name used in diagnostics (relative to the job bundle).
    public let displayName: String
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private var atEnd = false
    private var line = 1
    private var field: [UInt8] = []

    public init(path: String, displayName: String) throws(JobError) {
        self.displayName = displayName
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            throw JobError(code == ENOENT ? .fileNotFound : .unreadableFile,
                           code == ENOENT ? "file not found" : "cannot open file: \(String(cString: strerror(code)))",
                           file: displayName)
        }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw JobError(.unreadableFile, "not a regular file", file: displayName,
                           hint: "name a plain file; directories, FIFOs, devices and symbolic links are refused")
        }
        // O_NONBLOCK only guarded the open against FIFOs; reads of a regular file never block.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.descriptor = fd
        self.buffer = [UInt8](repeating: 0, count: 1 << 18)
        self.header = []
        do throws(JobError) {
            try self.refill()
            if self.filled >= 3, self.buffer[0] == 0xEF, self.buffer[1] == 0xBB, self.buffer[2] == 0xBF {
                self.position = 3
            }
            guard let header = try self.readRecord(expectedCount: nil) else {
                throw JobError(.emptyFile, "the file is empty; expected a header row", file: displayName)
            }
            let trimmed = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if trimmed.allSatisfy(\.isEmpty) {
                throw JobError(.emptyFile, "the header row is empty", file: displayName, line: header.line)
            }
            self.header = trimmed
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        close(self.descriptor)
    }

    /// The next record, or `nil` at the end of the file. Every record has exactly as many fields as the header.
    public func next() throws(JobError) -> Record? {
        try self.readRecord(expectedCount: self.header.count)
    }

    /// The column index of a header name.
    public func column(named name: String) -> Int? {
        self.header.firstIndex(of: name)
    }

    private func refill() throws(JobError) {
        guard !self.atEnd else { return }
        if self.position < self.filled {
            // Keep unread bytes; only happens at a buffer boundary.
            let remaining = self.filled - self.position
            self.buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + self.position, byteCount: remaining)
            }
            self.filled = remaining
        } else {
            self.filled = 0
        }
        self.position = 0
        while true {
            let count = self.buffer.withUnsafeMutableBytes { raw in
                read(self.descriptor, raw.baseAddress! + self.filled, raw.count - self.filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw JobError(.unreadableFile, "read failed: \(String(cString: strerror(errno)))",
                               file: self.displayName, line: self.line)
            }
            if count == 0 { self.atEnd = true }
            self.filled += count
            return
        }
    }

    @inline(__always)
    private func nextByte() throws(JobError) -> UInt8? {
        if self.position == self.filled {
            try self.refill()
            if self.position == self.filled { return nil }
        }
        let byte = self.buffer[self.position]
        self.position += 1
        return byte
    }

    @inline(__always)
    private func peekByte() throws(JobError) -> UInt8? {
        if self.position == self.filled {
            try self.refill()
            if self.position == self.filled { return nil }
        }
        return self.buffer[self.position]
    }

    private func error(_ code: JobError.Code, _ message: String, line: Int? = nil) -> JobError {
        JobError(code, message, file: self.displayName, line: line ?? self.line)
    }

    private func finishField(into fields: inout [String], recordLine: Int) throws(JobError) {
        guard fields.count < Self.maximumFields else {
            throw self.error(.malformedCSV, "record has more than \(Self.maximumFields) fields", line: recordLine)
        }
        guard let string = String(validating: self.field, as: UTF8.self) else {
            throw self.error(.invalidUTF8, "field \(fields.count + 1) is not valid UTF-8",
                             line: recordLine)
        }
        fields.append(string)
        self.field.removeAll(keepingCapacity: true)
    }

    private func appendToField(_ byte: UInt8, recordLine: Int) throws(JobError) {
        if byte == 0 {
            throw self.error(.malformedCSV, "NUL byte in field \(recordLine == self.line ? "" : "starting on line \(recordLine) ")",
                             line: self.line)
        }
        guard self.field.count < Self.maximumFieldBytes else {
            throw self.error(.malformedCSV, "a field is longer than \(Self.maximumFieldBytes) bytes", line: recordLine)
        }
        self.field.append(byte)
    }

    private func readRecord(expectedCount: Int?) throws(JobError) -> Record? {
        while true {
            let recordLine = self.line
            var fields: [String] = []
            if let expectedCount { fields.reserveCapacity(expectedCount) }
            var sawAnything = false
            var inQuotes = false
            var fieldStarted = false
            var quoteLine = 0
            recordLoop: while true {
                guard let byte = try self.nextByte() else {
                    if inQuotes {
                        throw self.error(.malformedCSV, "a quote opened on line \(quoteLine) is never closed",
                                         line: quoteLine)
                    }
                    if !sawAnything { return nil }
                    try self.finishField(into: &fields, recordLine: recordLine)
                    break recordLoop
                }
                sawAnything = true
                if inQuotes {
                    switch byte {
                    case UInt8(ascii: "\""):
                        if try self.peekByte() == UInt8(ascii: "\"") {
                            _ = try self.nextByte()
                            try self.appendToField(UInt8(ascii: "\""), recordLine: recordLine)
                        } else {
                            inQuotes = false
                            let following = try self.peekByte()
                            if let following, following != UInt8(ascii: ","), following != UInt8(ascii: "\n"),
                                following != UInt8(ascii: "\r")
                            {
                                throw self.error(.malformedCSV,
                                                 "unexpected character after a closing quote in field \(fields.count + 1)")
                            }
                        }
                    case UInt8(ascii: "\n"):
                        self.line += 1
                        try self.appendToField(byte, recordLine: recordLine)
                    default:
                        try self.appendToField(byte, recordLine: recordLine)
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: ","):
                    try self.finishField(into: &fields, recordLine: recordLine)
                    fieldStarted = false
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    if byte == UInt8(ascii: "\r"), try self.peekByte() == UInt8(ascii: "\n") {
                        _ = try self.nextByte()
                    }
                    self.line += 1
                    try self.finishField(into: &fields, recordLine: recordLine)
                    break recordLoop
                case UInt8(ascii: "\"") where !fieldStarted:
                    inQuotes = true
                    fieldStarted = true
                    quoteLine = self.line
                default:
                    fieldStarted = true
                    try self.appendToField(byte, recordLine: recordLine)
                }
            }
            // A blank line is not a record.
            if fields.count == 1 && fields[0].isEmpty && expectedCount != 1 { continue }
            if let expectedCount, fields.count != expectedCount {
                throw self.error(.raggedRow,
                                 "line has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(expectedCount)",
                                 line: recordLine)
            }
            return Record(fields: fields, line: recordLine)
        }
    }
}
