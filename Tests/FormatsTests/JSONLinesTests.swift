import Foundation
import Testing

@testable import Formats

/// JSON Lines input (`*.jsonl`, `*.ndjson`): the same records as a CSV, read through the same reader, with
/// errors that name the line.
struct JSONLinesTests {
    /// Writes `text` to a fresh file with `ext` and reads every record as strings (with buffer `capacity`).
    func read(_ text: String, ext: String = "jsonl", capacity: Int = 1 << 18) throws(Diagnostic)
        -> (header: [String], rows: [[String]], lines: [Int])
    {
        let path = "/tmp/enrichd-jsonl-\(UUID().uuidString).\(ext)"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVReader(path: path, displayName: "accounts.\(ext)", bufferCapacity: capacity)
        var rows: [[String]] = []
        var lines: [Int] = []
        while let record = try reader.next() {
            rows.append(record.fields)
            lines.append(record.line)
        }
        #expect(reader.isJSONLines)
        return (reader.header, rows, lines)
    }

    func error(_ text: String) -> Diagnostic? {
        do {
            _ = try self.read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysBecomeColumnsAndValuesFields() throws {
        let text = """
            {"CustomerId": "1", "Name": "Acme, Inc.", "Employees": 1200, "Active": true}
            {"CustomerId": "2", "Name": "Zürich \\"Quoted\\" AG", "Website": "zh.example", "Employees": null}

            {"Name": "Globex", "CustomerId": 3, "Employees": 1.5e3}\r
            {"CustomerId": "4", "Name": "No line end"}
            """
        let (header, rows, lines) = try self.read(text)
        // Every key of the file, in the order first seen: a key only later rows have is still a column.
        #expect(header == ["CustomerId", "Name", "Employees", "Active", "Website"])
        #expect(rows == [
            ["1", "Acme, Inc.", "1200", "true", ""],
            ["2", "Zürich \"Quoted\" AG", "", "", "zh.example"],
            ["3", "Globex", "1.5e3", "", ""],
            ["4", "No line end", "", "", ""],
        ])
        #expect(lines == [1, 2, 4, 5], "blank lines are skipped but counted")
        // The same with a buffer of a few bytes: lines straddle every refill.
        let tiny = try self.read(text, ext: "ndjson", capacity: 5)
        #expect(tiny.header == header && tiny.rows == rows && tiny.lines == lines)
    }

    @Test func badLinesAreNamed() throws {
        let nested = try #require(self.error("{\"CustomerId\": \"1\"}\n{\"CustomerId\": \"2\", \"Address\": {\"City\": \"Oslo\"}}\n"))
        #expect(nested.code == .invalidValue && nested.line == 2 && nested.column == 32 && nested.file == "accounts.jsonl",
                "\(nested)")
        let array = try #require(self.error("[\"1\", \"Acme\"]\n"))
        #expect(array.code == .invalidJSON && array.line == 1 && array.message.contains("an array"))
        let syntax = try #require(self.error("{\"CustomerId\": \"1\"}\n{\"CustomerId\": \"2\",}\n"))
        #expect(syntax.code == .invalidJSON && syntax.line == 2 && syntax.column != nil)
        let duplicate = try #require(self.error("{\"CustomerId\": \"1\", \"CustomerId\": \"2\"}\n"))
        #expect(duplicate.code == .invalidJSON && duplicate.message.contains("duplicate key"))
        let nul = try #require(self.error("{\"CustomerId\": \"1\\u0000\"}\n"))
        #expect(nul.code == .malformedCSV && nul.message.contains("NUL"))
        let empty = try #require(self.error("\n\n{}\n"))
        #expect(empty.code == .emptyFile)
        let path = "/tmp/enrichd-jsonl-\(UUID().uuidString).jsonl"
        FileManager.default.createFile(atPath: path, contents: Data("{\"A\": \"ok\"}\n{\"A\": \"".utf8) + Data([0xC3, 0x28]) + Data("\"}\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let invalid = #expect(throws: Diagnostic.self) { _ = try CSVReader(path: path, displayName: "x.jsonl") }
        #expect(invalid?.code == .invalidUTF8 && invalid?.line == 2)
    }

    /// As in a CSV header: a byte order mark is accepted and keys are trimmed.
    @Test func aByteOrderMarkAndPaddedKeysAreAccepted() throws {
        let (header, rows, _) = try self.read("\u{FEFF}{\" CustomerId \": \"1\", \"Name\": \"Acme\"}\n{\"CustomerId\": \"2\", \"Name \": \"Globex\"}\n")
        #expect(header == ["CustomerId", "Name"])
        #expect(rows == [["1", "Acme"], ["2", "Globex"]])
    }
}
