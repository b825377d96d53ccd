import SplitMix
import Foundation
import Testing

@testable import Formats

/// The in-place parser across its buffer's edges: records, quotes, doubled quotes and line ends that straddle a
/// refill, a record longer than the buffer, and the writer's background flushing.
struct CSVStreamingTests {
    static func quoted(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    @Test func parsesMegabytesOfAwkwardRecordsExactly() throws {
        var generator = SplitMix64(seed: 42)
        let pieces = ["a", "bc", "Zürich", ",", "\"", "\"\"", "\n", "\r\n", " ", "x y", "😀", "1234567890"]
        let ends = ["\n", "\r\n", "\r"]
        var rows: [[String]] = []
        var text = "\u{FEFF}A,B,C\n"
        var size = 0
        while size < 3_000_000 {
            var row: [String] = []
            for _ in 0..<3 {
                let count = Int(generator.next() % 12)
                row.append((0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined())
            }
            // A row whose fields are all empty would be "" + "," + ""... still two commas: never a blank line.
            rows.append(row)
            let line = row.map(Self.quoted).joined(separator: ",") + ends[Int(generator.next() % 3)]
            size += line.utf8.count
            text += line
        }
        // One record longer than the parser's buffer (256 KiB), quoted with doubled quotes inside.
        let long = String(repeating: "ab\"c,", count: 120_000)
        rows.append(["long", long, "end"])
        text += "long," + Self.quoted(long) + ",end\r\n"
        rows.append(["last", "", "no line end"])
        text += "last,,no line end"

        let path = "/tmp/enrichd-csv-stream-\(UUID().uuidString).csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { unlink(path) }

        let reader = try CSVReader(path: path, displayName: "big.csv")
        #expect(reader.header == ["A", "B", "C"])
        var index = 0
        while let record = try reader.next() {
            guard index < rows.count else { break }
            #expect(record.fields == rows[index], "record \(index + 1) at line \(record.line)")
            if record.fields != rows[index] { break }
            index += 1
        }
        #expect(index == rows.count)

        // The in-place view reads the same bytes.
        let viewer = try CSVReader(path: path, displayName: "big.csv")
        var viewed = 0
        while try viewer.advance() {
            let record = viewer.current
            #expect((0..<record.count).map(record.string) == rows[viewed])
            viewed += 1
        }
        #expect(viewed == rows.count)
        #expect(viewer.consumedBytes == text.utf8.count)

        // A 7-byte buffer: every record, quote pair and CRLF straddles a refill; the buffer grows for long ones.
        let tiny = try CSVReader(path: path, displayName: "big.csv", bufferCapacity: 7)
        #expect(tiny.header == ["A", "B", "C"])
        var tinyCount = 0
        while tinyCount < 2_000, let record = try tiny.next() {
            #expect(record.fields == rows[tinyCount], "record \(tinyCount + 1) with a 7-byte buffer")
            if record.fields != rows[tinyCount] { break }
            tinyCount += 1
        }
        #expect(tinyCount == 2_000)
    }

    @Test func tinyBuffersReadEverythingTheSame() throws {
        var generator = SplitMix64(seed: 7)
        let pieces = ["a", ",", "\"", "\"\"", "\n", "\r\n", "\r", "é", " "]
        for _ in 0..<200 {
            var text = ""
            let length = Int(generator.next() % 60)
            for _ in 0..<length { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let path = "/tmp/enrichd-csv-tiny-\(UUID().uuidString).csv"
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            defer { unlink(path) }
            func read(_ capacity: Int) -> String {
                do {
                    let reader = try CSVReader(path: path, displayName: "t.csv", bufferCapacity: capacity)
                    var out = [reader.header.joined(separator: "|")]
                    while let record = try reader.next() { out.append("\(record.line):" + record.fields.joined(separator: "|")) }
                    return out.joined(separator: "\n")
                } catch {
                    return "error \(error.code) line \(error.line.map(String.init) ?? "-"): \(error.message)"
                }
            }
            let reference = read(1 << 18)
            for capacity in [4, 5, 9, 16] {
                #expect(read(capacity) == reference, "\(text.debugDescription) with a \(capacity)-byte buffer")
            }
        }
    }

    @Test func lineNumbersSurviveRefills() throws {
        // A quote left open after many lines is reported at the line it opened, wherever the buffer broke.
        var text = "Id,Name\n"
        for index in 0..<40_000 { text += "\(index),\"name\nwith a break\"\n" }
        text += "x,\"never closed\n"
        let path = "/tmp/enrichd-csv-lines-\(UUID().uuidString).csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { unlink(path) }
        let reader = try CSVReader(path: path, displayName: "lines.csv")
        var last = 0
        #expect {
            while let record = try reader.next() { last = record.line }
        } throws: { error in
            (error as? Diagnostic)?.code == .malformedCSV && (error as? Diagnostic)?.line == 80_002
        }
        #expect(last == 80_000)
    }

    @Test func backgroundWriteErrorsReachTheCaller() throws {
        // /dev/full accepts the open and fails every write with ENOSPC, like a full disk.
        let writer = try CSVWriter(path: "/dev/full")
        let row = Array(repeating: String(repeating: "x", count: 100), count: 10)
        #expect(throws: POSIXError.self) {
            for _ in 0..<10_000 { try writer.write(row) }
            try writer.close()
        }
    }

    @Test func writerOutputMatchesRowByRowRendering() throws {
        let path = "/tmp/enrichd-csvw-bg-\(UUID().uuidString).csv"
        defer { unlink(path) }
        let writer = try CSVWriter(path: path)
        var expected = ""
        let rest = CSVWriter.render(["two, three", "say \"x\"", ""])
        for index in 0..<50_000 {
            let first = index % 7 == 0 ? "id,\(index)" : "id\(index)"
            if index % 2 == 0 {
                try writer.write([first, "two, three", "say \"x\"", ""])
            } else {
                var bytes = Array(first.utf8)
                try bytes.withUnsafeMutableBufferPointer { try writer.write(first: UnsafeBufferPointer($0), rendered: rest) }
            }
            expected += Self.quoted(first) + ",\"two, three\",\"say \"\"x\"\"\",\r\n"
        }
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
    }
}
