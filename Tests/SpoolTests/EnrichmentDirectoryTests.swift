import EnrichdTestSupport
import Foundation
import Testing

@testable import Spool

/// A saved enrichment's `current` outputs change by one rename from one whole run to the next; a reader holding
/// the old run reads it whole until the refresh after; publishing again after a crash at any step completes it;
/// history.jsonl stays whole lines.
struct EnrichmentDirectoryTests {
    /// done/ID with two output files whose contents name the run.
    static func finishedRun(_ id: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("done/\(id)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for name in ["Out.csv", "result.json"] {
            try Data("\(id) \(name)\n".utf8).write(to: URL(fileURLWithPath: "\(path)/\(name)"))
        }
        return path
    }

    static func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))
    }

    @Test func currentMovesFromOneWholeRunToTheNext() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let enrichment = EnrichmentDirectory(directory.file("enrichments/weekly"))
        try FileManager.default.createDirectory(atPath: enrichment.path, withIntermediateDirectories: true)
        #expect(enrichment.currentRunID == nil)

        try enrichment.publish(run: "r1", from: try Self.finishedRun("r1", in: directory), files: ["Out.csv", "result.json"])
        #expect(enrichment.currentRunID == "r1")
        #expect(Self.read(enrichment.current + "/Out.csv") == "r1 Out.csv\n")
        // The run's files are links to done/'s, not copies.
        var linked = stat()
        #expect(stat(enrichment.current + "/Out.csv", &linked) == 0 && linked.st_nlink == 2)

        // A reader resolves current once and keeps reading that run while the next one is published.
        let reader = try #require(try? FileManager.default.destinationOfSymbolicLink(atPath: enrichment.current))
        try enrichment.publish(run: "r2", from: try Self.finishedRun("r2", in: directory), files: ["Out.csv", "result.json"])
        #expect(enrichment.currentRunID == "r2")
        #expect(Self.read(enrichment.current + "/Out.csv") == "r2 Out.csv\n"
                    && Self.read(enrichment.current + "/result.json") == "r2 result.json\n")
        #expect(Self.read(enrichment.file(reader) + "/Out.csv") == "r1 Out.csv\n"
                    && Self.read(enrichment.file(reader) + "/result.json") == "r1 result.json\n")

        // The refresh after that drops r1: the current run and the one before are kept.
        try enrichment.publish(run: "r3", from: try Self.finishedRun("r3", in: directory), files: ["Out.csv", "result.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: enrichment.runs).sorted() == ["r2", "r3"])
        #expect(Self.read(enrichment.current + "/Out.csv") == "r3 Out.csv\n")
    }

    /// A crash after the run's directory was made (or half made) and before `current` moved: current still
    /// names the old run, whole, and publishing again finishes the job.
    @Test func publishingAgainAfterACrashCompletesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let enrichment = EnrichmentDirectory(directory.file("e"))
        try FileManager.default.createDirectory(atPath: enrichment.path, withIntermediateDirectories: true)
        try enrichment.publish(run: "r1", from: try Self.finishedRun("r1", in: directory), files: ["Out.csv", "result.json"])
        let r2 = try Self.finishedRun("r2", in: directory)
        // Left by a crash: a half-staged run and a link that was never renamed into place.
        try FileManager.default.createDirectory(atPath: enrichment.runs + "/.r2.tmp", withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: URL(fileURLWithPath: enrichment.runs + "/.r2.tmp/Out.csv"))
        #expect(symlink("runs/r2", enrichment.file(".current.tmp")) == 0)
        #expect(Self.read(enrichment.current + "/Out.csv") == "r1 Out.csv\n")

        try enrichment.publish(run: "r2", from: r2, files: ["Out.csv", "result.json"])
        #expect(enrichment.currentRunID == "r2" && Self.read(enrichment.current + "/Out.csv") == "r2 Out.csv\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: enrichment.runs).sorted() == ["r1", "r2"])
        #expect(!FileManager.default.fileExists(atPath: enrichment.file(".current.tmp")))
        // And once more (a crash after the rename): nothing changes.
        try enrichment.publish(run: "r2", from: r2, files: ["Out.csv", "result.json"])
        #expect(enrichment.currentRunID == "r2" && Self.read(enrichment.current + "/result.json") == "r2 result.json\n")
    }

    @Test func historyStaysWholeLinesAfterATornAppend() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let enrichment = EnrichmentDirectory(directory.file("e"))
        try FileManager.default.createDirectory(atPath: enrichment.path, withIntermediateDirectories: true)
        #expect(enrichment.historyLines().isEmpty)
        try enrichment.appendHistory(Array(#"{"jobId":"r1"}"#.utf8))
        // A crash in the middle of the next append.
        let handle = try #require(FileHandle(forWritingAtPath: enrichment.history))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"jobId":"r"#.utf8))
        try handle.close()
        #expect(enrichment.historyLines().map { String(decoding: $0, as: UTF8.self) } == [#"{"jobId":"r1"}"#])
        try enrichment.appendHistory(Array(#"{"jobId":"r2"}"#.utf8))
        #expect(Self.read(enrichment.history) == #"{"jobId":"r1"}"# + "\n" + #"{"jobId":"r2"}"# + "\n")
    }
}
