import Foundation
import Testing

@testable import Formats

/// Files as Excel and European CRMs export them: UTF-16 with a byte order mark ("Unicode text"), Windows-1252
/// and ISO-8859-1, semicolons, tabs and pipes, all generated here and read through buffers so small that code
/// units, surrogate pairs and line ends straddle every refill.
struct CSVEncodingTests {
    static let header = ["CustomerId", "Name", "City"]
    /// Quoted fields holding every delimiter and a line break, umlauts, €, ‰ and (for UTF-16) a character outside
    /// the BMP, which UTF-16 writes as a surrogate pair.
    static func rows(astral: Bool) -> [[String]] {
        var rows: [[String]] = []
        for index in 1...300 {
            rows.append([String(index), "Müller \(index) GmbH € ‰ ä", index % 3 == 0 ? "Köln; \"Süd\", |\tWest" : "Zürich"])
            if astral && index % 7 == 0 { rows[rows.count - 1][1] += " 😀𝄞" }
            if index % 11 == 0 { rows[rows.count - 1][2] = "two\r\nlines" }
        }
        return rows
    }

    static func text(_ rows: [[String]], delimiter: Character) -> String {
        ([Self.header] + rows).map { row in
            row.map { field in
                field.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == ";" || $0 == "," }
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: String(delimiter))
        }.joined(separator: "\r\n") + "\r\n"
    }

    static func utf16(_ text: String, bigEndian: Bool, mark: Bool = true) -> [UInt8] {
        let units = (mark ? [0xFEFF] : []) + Array(text.utf16)
        return units.flatMap { unit in
            bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
    }

    func withFile<T>(_ bytes: [UInt8], extension ext: String = "csv", _ body: (String) throws -> T) throws -> T {
        let path = "/tmp/enrichd-csv-encoding-\(UUID().uuidString).\(ext)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        return try body(path)
    }

    func read(_ path: String, _ format: CSVFormat = CSVFormat(), capacity: Int = 1 << 18) throws
        -> (header: [String], rows: [[String]], consumed: Int)
    {
        let reader = try CSVReader(path: path, displayName: "a.csv", format: format, settingsKey: "customers",
                                   bufferCapacity: capacity)
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        return (reader.header, rows, reader.consumedBytes)
    }

    func diagnostic(_ bytes: [UInt8], _ format: CSVFormat = CSVFormat(), capacity: Int = 1 << 18) throws -> Diagnostic {
        try self.withFile(bytes) { path in
            do {
                _ = try self.read(path, format, capacity: capacity)
            } catch let error as Diagnostic {
                return error
            }
            Issue.record("no error")
            return Diagnostic(.invalidValue, "")
        }
    }

    @Test(arguments: [false, true])
    func readsUTF16WithAByteOrderMarkWithoutBeingTold(bigEndian: Bool) throws {
        let rows = Self.rows(astral: true)
        let bytes = Self.utf16(Self.text(rows, delimiter: "\t"), bigEndian: bigEndian)
        try self.withFile(bytes) { path in
            for capacity in [4, 5, 7, 64, 1 << 18] {
                for encoding in [nil, .utf16, bigEndian ? .utf16BigEndian : .utf16LittleEndian] as [TextEncoding?] {
                    let read = try self.read(path, CSVFormat(delimiter: UInt8(ascii: "\t"), encoding: encoding),
                                             capacity: capacity)
                    #expect(read.header == Self.header, "capacity \(capacity), \(encoding?.rawValue ?? "auto")")
                    #expect(read.rows == rows, "capacity \(capacity), \(encoding?.rawValue ?? "auto")")
                    #expect(read.consumed == bytes.count, "progress counts the file's own bytes")
                }
            }
        }
    }

    @Test func unmarkedUTF16IsReadWhenNamedAndHintedWhenNot() throws {
        let rows = Self.rows(astral: true)
        for bigEndian in [false, true] {
            let bytes = Self.utf16(Self.text(rows, delimiter: ","), bigEndian: bigEndian, mark: false)
            try self.withFile(bytes) { path in
                let encoding: TextEncoding = bigEndian ? .utf16BigEndian : .utf16LittleEndian
                let named = try self.read(path, CSVFormat(encoding: encoding), capacity: 5)
                #expect(named.rows == rows)
                if !bigEndian {
                    let defaultOrder = try self.read(path, CSVFormat(encoding: .utf16), capacity: 5)
                    #expect(defaultOrder.rows == rows)
                }
            }
            let error = try self.diagnostic(bytes)
            #expect(error.code == .malformedCSV && error.message.contains("NUL"), "\(error)")
            #expect(error.hint == "this looks like UTF-16 (\(bigEndian ? "big" : "little")-endian) without a byte "
                        + "order mark: set \"encoding\": \"\(bigEndian ? "utf-16be" : "utf-16le")\" for customers")
        }
    }

    @Test func readsWindows1252AndISO88591() throws {
        // Written byte by byte from the code pages (not through the converter under test): ü E4→ä 80→€ 89→‰.
        let windows: [UInt8] = Array("CustomerId;Name;City\r\n1;M".utf8) + [0xFC] + Array("ller GmbH ".utf8)
            + [0x80, 0x20, 0x89, 0x20, 0xE4] + Array(";\"K".utf8) + [0xF6] + Array("ln; S\"\r\n".utf8)
        let expected = [["1", "Müller GmbH € ‰ ä", "Köln; S"]]
        try self.withFile(windows) { path in
            for capacity in [4, 5, 1 << 18] {
                let read = try self.read(path, CSVFormat(delimiter: UInt8(ascii: ";"), encoding: .windows1252),
                                         capacity: capacity)
                #expect(read.header == Self.header && read.rows == expected, "capacity \(capacity)")
                #expect(read.consumed == windows.count)
            }
            // ISO-8859-1 maps every byte to the code point of its value: 0x80 and 0x89 are C1 controls there.
            let latin1 = try self.read(path, CSVFormat(delimiter: UInt8(ascii: ";"), encoding: .iso88591))
            #expect(latin1.rows == [["1", "Müller GmbH \u{80} \u{89} ä", "Köln; S"]])
        }
        // A longer file, encoded by Foundation's converter, through tiny buffers.
        let rows = Self.rows(astral: false)
        let encoded = try #require(Self.text(rows, delimiter: ";").data(using: .windowsCP1252))
        try self.withFile(Array(encoded)) { path in
            for capacity in [4, 7, 1 << 18] {
                let read = try self.read(path, CSVFormat(delimiter: UInt8(ascii: ";"), encoding: .windows1252),
                                         capacity: capacity)
                #expect(read.rows == rows, "capacity \(capacity)")
            }
        }
    }

    @Test func theWindows1252TableIsTheStandardOne() {
        // WHATWG index-windows-1252 (and the Unicode consortium's cp1252.txt) for a few bytes of 0x80–0x9F.
        let expected: [UInt8: UInt32] = [0x80: 0x20AC, 0x81: 0x0081, 0x89: 0x2030, 0x8A: 0x0160, 0x8D: 0x008D,
                                         0x91: 0x2018, 0x9D: 0x009D, 0x9F: 0x0178, 0xA0: 0x00A0, 0xE4: 0x00E4]
        for (byte, scalar) in expected {
            #expect(Windows1252.scalars[Int(byte) - 0x80] == scalar, "byte \(String(byte, radix: 16))")
        }
    }

    @Test(arguments: [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
    func readsOtherDelimitersAndSaysWhenOneWasNotSet(delimiter: String, name: String) throws {
        let byte = UInt8(ascii: Unicode.Scalar(delimiter)!)
        let rows = Self.rows(astral: false)
        let text = Self.text(rows, delimiter: Character(delimiter))
        try self.withFile(Array(text.utf8)) { path in
            for capacity in [4, 7, 1 << 18] {
                let read = try self.read(path, CSVFormat(delimiter: byte), capacity: capacity)
                #expect(read.header == Self.header && read.rows == rows, "capacity \(capacity)")
            }
            // Read with commas, the header is one column holding the other delimiter.
            let reader = try CSVReader(path: path, displayName: "a.csv")
            let likely = CSVFormat.likelyDelimiter(header: reader.header, current: UInt8(ascii: ","))
            #expect(likely == byte)
        }
        #expect(CSVFormat.delimiterHint(byte, settingsKey: "customers")
                    == "this looks like a \(name)-separated file: set \"delimiter\": \"\(CSVFormat.jsonText(byte))\" for customers")
        #expect(CSVFormat.likelyDelimiter(header: ["CustomerId", "Name"], current: UInt8(ascii: ",")) == nil)
    }

    @Test func windows1252ReadAsUTF8SaysWhatItLooksLike() throws {
        let bytes = Array("CustomerId,Name\n1,M".utf8) + [0xFC] + Array("ller\n".utf8)
        let error = try self.diagnostic(bytes)
        #expect(error.code == .invalidUTF8 && error.line == 2)
        #expect(error.hint == "this looks like Windows-1252 (or ISO-8859-1): set \"encoding\": \"windows-1252\" for customers")
        // Bytes Windows-1252 leaves undefined are no such hint.
        #expect(try self.diagnostic(Array("Id\n".utf8) + [0x81, 0x0A]).hint == nil)
    }

    @Test func refusesBrokenOrContradictedUTF16() throws {
        // A lone high surrogate on line 3: the same line whatever the buffer size.
        var text = Array("Id,Name\n1,a\n2,b".utf16) + [0xD800] + Array("c\n".utf16)
        text.insert(0xFEFF, at: 0)
        let bytes = text.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for capacity in [4, 5, 1 << 18] {
            let error = try self.diagnostic(bytes, capacity: capacity)
            #expect(error.code == .invalidEncoding && error.line == 3, "capacity \(capacity): \(error)")
        }
        // Cut in the middle of a code unit.
        let cut = try self.diagnostic(Self.utf16("Id\n1\n", bigEndian: false) + [0x41])
        #expect(cut.code == .invalidEncoding && cut.message.contains("ends in the middle"))
        // A byte order mark that says otherwise than "encoding".
        let contradicted = try self.diagnostic(Self.utf16("Id\n1\n", bigEndian: false), CSVFormat(encoding: .utf16BigEndian))
        #expect(contradicted.code == .invalidEncoding && contradicted.hint?.contains("\"utf-16le\"") == true)
        let marked = try self.diagnostic(Self.utf16("Id\n1\n", bigEndian: true), CSVFormat(encoding: .windows1252))
        #expect(marked.code == .invalidEncoding && marked.message.contains("big-endian"))
    }

    @Test func jsonLinesStayUTF8() throws {
        try self.withFile(Array("{\"Id\": \"1\"}\n".utf8), extension: "jsonl") { path in
            #expect(throws: Diagnostic.self) {
                _ = try CSVReader(path: path, displayName: "a.jsonl", format: CSVFormat(encoding: .windows1252))
            }
            let utf8 = try CSVReader(path: path, displayName: "a.jsonl", format: CSVFormat(encoding: .utf8))
            #expect(utf8.header == ["Id"])
        }
    }
}
