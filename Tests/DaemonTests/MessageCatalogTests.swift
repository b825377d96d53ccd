import Foundation
import Testing

@testable import EnrichDaemon

/// `systemd/enrichd.catalog` explains every `MESSAGE_ID` the daemon logs, in the format `journalctl
/// --update-catalog` reads: checked here by parsing it, and by systemd's own parser when journalctl is installed.
struct MessageCatalogTests {
    static let catalogPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/enrichd.catalog").path

    /// The catalog's entries: id → the lines after its `-- id` line.
    static func entries() throws -> [String: [String]] {
        let text = try String(contentsOfFile: Self.catalogPath, encoding: .utf8)
        var entries: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("-- ") {
                let id = String(line.dropFirst(3))
                #expect(entries[id] == nil, "\(id) has two entries")
                entries[id] = []
                current = id
            } else if let current {
                entries[current, default: []].append(line)
            }
        }
        return entries
    }

    @Test func everyMessageIDHasAnEntryWithASubject() throws {
        let entries = try Self.entries()
        #expect(Set(MessageID.all.map(\.id)).count == MessageID.all.count, "an id is used twice")
        for (name, id) in MessageID.all {
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(name): \(id)")
            let lines = try #require(entries[id], "\(name) (\(id)) has no catalog entry")
            #expect(lines.first?.hasPrefix("Subject: enrichd") == true, "\(name): \(lines.first ?? "")")
            #expect(lines.contains("Defined-By: enrichd"), "\(name)")
            // A header block, an empty line, then the text.
            let blank = try #require(lines.firstIndex(of: ""), "\(name): no text after the headers")
            #expect(lines[..<blank].allSatisfy { $0.contains(": ") }, "\(name): \(lines[..<blank])")
            #expect(lines[(blank + 1)...].contains { !$0.isEmpty }, "\(name): empty text")
        }
        #expect(Set(entries.keys) == Set(MessageID.all.map(\.id)), "entries without a MessageID")
    }

    @Test func theRunOutcomeEntriesNameTheFieldsTheDaemonLogs() throws {
        let entries = try Self.entries()
        let recorded = try #require(entries[MessageID.enrichmentRunRecorded]?.first)
        #expect(recorded.contains("@JOB_ID@") && recorded.contains("@ENRICHMENT@") && recorded.contains("@OUTCOME@"))
        let hook = try #require(entries[MessageID.hookFailed])
        #expect(hook.first?.contains("@JOB_ID@") == true && hook.joined().contains("@HOOK@"))
    }

    static let journalctl = ["/usr/bin/journalctl", "/bin/journalctl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `journalctl --root=DIR --update-catalog` compiles the catalog into DIR's database; `--list-catalog` then
    /// names every id with its subject (as `make install` + `journalctl --update-catalog` do on a host).
    @Test(.enabled(if: Self.journalctl != nil, "needs journalctl (systemd)"))
    func systemdsParserListsEveryEntry() throws {
        var template = Array("/tmp/enrichd-catalog.XXXXXX".utf8CString)
        let root = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/usr/lib/systemd/catalog"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.catalogPath, toPath: directory + "/enrichd.catalog")
        func journalctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.journalctl!)
            process.arguments = ["--root=\(root)"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        let update = try journalctl(["--update-catalog"])
        #expect(update.status == 0, "\(update.output)")
        let listed = try journalctl(["--list-catalog"])
        #expect(listed.status == 0, "\(listed.output)")
        let lines = listed.output.split(separator: "\n")
        for (name, id) in MessageID.all {
            #expect(lines.contains { $0.hasPrefix("\(id) enrichd: enrichd") }, "\(name) (\(id)) not listed:\n\(listed.output)")
        }
    }
}
