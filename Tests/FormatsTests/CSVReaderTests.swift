import Foundation
import Testing

@testable import Formats

struct CSVReaderTests {
    func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let path = "/tmp/enrichd-csv-\(UUID().uuidString).csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        return try body(path)
    }

    func records(_ text: String) throws -> (header: [String], rows: [[String]]) {
        try self.withFile(Array(text.utf8)) { path in
            let reader = try CSVReader(path: path, displayName: "a.csv")
            var rows: [[String]] = []
            while let record = try reader.next() { rows.append(record.fields) }
            return (reader.header, rows)
        }
    }

    @Test func readsQuotedFieldsLineBreaksAndMixedLineEnds() throws {
        let (header, rows) = try self.records("\u{FEFF}Id,Name\r\n1,\"Acme, \"\"Inc\"\"\"\n2,\"two\nlines\"\r3,plain\n\n")
        #expect(header == ["Id", "Name"])
        #expect(rows == [["1", "Acme, \"Inc\""], ["2", "two\nlines"], ["3", "plain"]])
    }

    @Test(arguments: [
        ("Id,Name\n1,a\n2\n", "raggedRow", 3),
        ("Id,Name\n1,\"open\n2,b\n", "malformedCSV", 2),
        ("", "emptyFile", nil),
    ] as [(String, String, Int?)])
    func rejectsBrokenFilesNamingTheLine(text: String, code: String, line: Int?) throws {
        #expect {
            _ = try self.records(text)
        } throws: { error in
            guard let error = error as? Diagnostic else { return false }
            return error.code.rawValue == code && error.line == line && error.file == "a.csv"
        }
    }

    @Test func rejectsInvalidUTF8AndNULBytes() throws {
        for (bytes, code) in [(Array("Id,Name\n1,".utf8) + [0xFF, 0x0A], "invalidUTF8"),
                              (Array("Id,Name\n1,a".utf8) + [0x00, 0x0A], "malformedCSV")] {
            #expect {
                try self.withFile(bytes) { path in
                    let reader = try CSVReader(path: path, displayName: "a.csv")
                    while try reader.next() != nil {}
                }
            } throws: { error in
                (error as? Diagnostic)?.code.rawValue == code && (error as? Diagnostic)?.line == 2
            }
        }
    }

    @Test func writerRoundTripsThroughTheReader() throws {
        let path = "/tmp/enrichd-csvw-\(UUID().uuidString).csv"
        defer { unlink(path) }
        let writer = try CSVWriter(path: path)
        let rows = [["Id", "Name"], ["1", "a,b"], ["2", "say \"hi\""], ["3", "multi\nline"]]
        for row in rows { try writer.write(row) }
        try writer.close()
        let reader = try CSVReader(path: path, displayName: "out.csv")
        var read = [reader.header]
        while let record = try reader.next() { read.append(record.fields) }
        #expect(read == rows)
    }
}
