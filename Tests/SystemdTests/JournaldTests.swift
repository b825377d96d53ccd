import EnrichdTestSupport
import Foundation
import Testing

/// Runs the real daemon against a private systemd-journald (its own mount namespace with a tmpfs /run, so the
/// host's journal is untouched) and reads the records back with journalctl.
@Suite struct JournaldTests {
    static let isRoot = getuid() == 0
    static let journaldPath = "/lib/systemd/systemd-journald"

    /// Runs `enrichd --config DIR/enrichd.json --once` with its stderr as the journal stream of a private
    /// systemd-journald (a tmpfs /run in a mount namespace of its own), and returns enrichd's journal records.
    static func runOnceWithPrivateJournal(in directory: TemporaryDirectory) throws -> [[String: Any]] {
        let script = """
            set -eu
            mount -t tmpfs tmpfs /run
            if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi
            mkdir -p /run/systemd/journal
            \(Self.journaldPath) >/dev/null 2>&1 </dev/null &
            JOURNALD=$!
            trap 'kill $JOURNALD' EXIT
            for i in $(seq 200); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
            exec 3>&2 2>"$DIR/stderr.log"
            JOURNAL_STREAM=$(stat -c %d:%i "$DIR/stderr.log") "$ENRICHD" --config "$DIR/enrichd.json" --once
            exec 2>&3
            journalctl --sync
            journalctl -o json --no-pager SYSLOG_IDENTIFIER=enrichd > "$DIR/journal.json"
            """
        let result = try ChildProcess.run("/usr/bin/unshare", ["--mount", "--propagation", "private", "sh", "-c", script],
                                          environment: ["DIR": directory.path, "ENRICHD": BuiltProducts.enrichd])
        #expect(result.status == 0, "\(result.stderr)")

        return try directory.read("journal.json").split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(.enabled(if: Self.isRoot && FileManager.default.fileExists(atPath: Self.journaldPath),
                   "needs root and systemd-journald: the private journal runs in its own mount namespace"))
    func daemonWritesNativeRecordsWithJobFields() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "journal-test-token-\(UUID().uuidString)", mode: 0o600)
        try directory.write("enrichd.json", """
            {"spool": "\(directory.file("spool"))",
             "connections": {"default": {"baseURL": "http://127.0.0.1:9", "dataSharingConsent": true,
                                         "tokenFile": "\(directory.file("token"))"}}}
            """)
        try directory.write("spool/incoming/broken-job.json", "{\"name\": \"Broken\", \"outputTable\": ")
        let records = try JournaldTests.runOnceWithPrivateJournal(in: directory)
        let failed = try #require(records.first { ($0["JOB_ID"] as? String) == "broken-job" && ($0["MESSAGE"] as? String)?.hasPrefix("job failed") == true },
                                  "records: \(records.map { $0["MESSAGE"] ?? "" })")
        #expect(failed["PRIORITY"] as? String == "3")
        #expect(failed["SYSLOG_IDENTIFIER"] as? String == "enrichd")
        #expect(failed["MESSAGE_ID"] as? String == "18790f05dd6143109fbc1e94ff509128")
        #expect(failed["ERROR_CODE"] as? String == "invalidJSON")
        try Self.expectCallSite(failed, module: "EnrichDaemon")
        #expect(records.contains { ($0["MESSAGE"] as? String) == "enrichd ready" })
        // Natively logged: nothing went to the stderr stream.
        #expect(try directory.read("stderr.log").isEmpty)
        // The token is a secret.
        let token = try directory.read("token")
        #expect(!(try directory.read("journal.json")).contains(token))
    }

    /// CODE_FILE, CODE_LINE and CODE_FUNC name the line that logged, in a source file of `module` (whichever file
    /// that is: not the handler's own, in Systemd, nor swift-log's): the file is one of this package's, has that
    /// line, and names that function.
    static func expectCallSite(
        _ record: [String: Any], module: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let file = try #require(record["CODE_FILE"] as? String, sourceLocation: sourceLocation)
        let line = try #require(Int(record["CODE_LINE"] as? String ?? ""), "CODE_LINE", sourceLocation: sourceLocation)
        let function = try #require(record["CODE_FUNC"] as? String, sourceLocation: sourceLocation)
        // swift-log passes #fileID (`Module/File.swift`); a #filePath would hold `/Sources/Module/`.
        let sources = "/Sources/"
        let relative = file.hasPrefix(module + "/")
            ? file
            : file.range(of: sources + module + "/").map { String(file[$0.lowerBound...].dropFirst(sources.count)) }
        let path = try #require(relative, "CODE_FILE=\(file): not in Sources/\(module)/",
                                sourceLocation: sourceLocation)
        #expect(path.hasSuffix(".swift"), "CODE_FILE=\(file)", sourceLocation: sourceLocation)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let source = try String(contentsOf: root.appendingPathComponent("Sources/" + path), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(line > 0 && line <= lines.count, "CODE_LINE=\(line) of \(path)", sourceLocation: sourceLocation)
        let name = function.prefix { $0 != "(" }
        #expect(!name.isEmpty && source.contains(name), "CODE_FUNC=\(function) in \(path)",
                sourceLocation: sourceLocation)
    }
}
