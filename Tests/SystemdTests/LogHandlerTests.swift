import Foundation
import Logging
import Testing

@testable import Systemd

/// What both log handlers do with a record's level and metadata, and the line the stderr handler writes.
struct LogHandlerTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func event(_ message: Logger.Message, level: Logger.Level = .notice, error: (any Error)? = nil,
                      metadata: Logger.Metadata? = nil) -> LogEvent {
        LogEvent(level: level, message: message, error: error, metadata: metadata, source: nil,
                 file: "EnrichDaemon/Daemon.swift", function: "run()", line: 42)
    }

    @Test func theStandardErrorLineIsTimeLevelIdentifierMessageThenMetadataInKeyOrder() {
        var handler = StandardErrorLogHandler(identifier: "enrichd")
        handler.metadata = ["job_name": "EMEA Q4"]
        let line = handler.line(for: Self.event("job completed", metadata: ["job_id": "a1"]),
                                timestamp: "2026-11-30T07:53:29.123Z")
        #expect(line == "2026-11-30T07:53:29.123Z notice enrichd: job completed job_id=a1 job_name=\"EMEA Q4\"\n")
    }

    @Test(arguments: [
        ("plain", "plain"), ("", "\"\""), ("two words", "\"two words\""), ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""), ("back\\slash", "\"back\\\\slash\""), ("back\\ slash", "\"back\\\\ slash\""),
        ("two\nlines", "\"two\\nlines\""), ("tab\there", "\"tab\\there\""),
        // Escape sequences a submitter may put in a job name: escaped, so the administrator's terminal shows them.
        ("Q4 \u{1B}[31mRED\u{1B}]0;pwned\u{07}", "\"Q4 \\x1b[31mRED\\x1b]0;pwned\\x07\""),
        ("\u{9B}2J", "\"\\x9b2J\""), ("abc\u{202E}fed", "\"abc\\u{202e}fed\""),
    ])
    func valuesAreQuotedWhenTheyHoldASpaceAQuoteAnEqualsSignABackslashOrAControlCharacter(value: String, written: String) {
        let handler = StandardErrorLogHandler(identifier: "enrichctl")
        let line = handler.line(for: Self.event("m", level: .info, metadata: ["v": "\(value)"]), timestamp: "T")
        #expect(line == "T info enrichctl: m v=\(written)\n")
    }

    /// A message is the program's text with values in it (a job's name, a file's): it stays on one line and its
    /// control characters are escaped.
    @Test func aMessageCannotBreakTheLineOrDriveTheTerminal() {
        let handler = StandardErrorLogHandler(identifier: "enrichd")
        let line = handler.line(for: Self.event("job \"Q4 \u{1B}[2J\" claimed\nfake line", level: .info), timestamp: "T")
        #expect(line == #"T info enrichd: job "Q4 \x1b[2J" claimed\nfake line"# + "\n")
    }

    @Test func anErrorComesBeforeTheMetadata() {
        let handler = StandardErrorLogHandler(identifier: "enrichd")
        let event = Self.event("lookup failed", level: .error, error: Failure(description: "timed out"),
                               metadata: ["job_id": "a1"])
        let line = handler.line(for: event, timestamp: "T")
        #expect(line == "T error enrichd: lookup failed error=\"timed out\" job_id=a1\n")
    }

    /// The handler's metadata, then the provider's, then the event's: a later one wins a key.
    @Test func bothHandlersMergeMetadataTheSameWay() {
        let provider = Logger.MetadataProvider { ["provided": "p", "winner": "provider"] }
        var standardError = StandardErrorLogHandler(identifier: "enrichd", metadataProvider: provider)
        var journal = JournalLogHandler(identifier: "enrichd", metadataProvider: provider)
        standardError[metadataKey: "handler"] = "h"
        standardError[metadataKey: "winner"] = "handler"
        journal[metadataKey: "handler"] = "h"
        journal[metadataKey: "winner"] = "handler"
        let event = Self.event("m", metadata: ["event": "e", "winner": "event"])
        let expected: Logger.Metadata = ["handler": "h", "provided": "p", "event": "e", "winner": "event"]
        #expect(standardError.metadata(of: event) == expected)
        #expect(journal.metadata(of: event) == expected)
        #expect(standardError.metadata(of: Self.event("m")) == ["handler": "h", "provided": "p", "winner": "provider"])
        #expect(journal[metadataKey: "handler"] == "h")
    }

    @Test func bothHandlersFollowTheSwitchUntilTheirLoggerSetsALevel() {
        let levels = LogLevelSwitch(.notice)
        var standardError = StandardErrorLogHandler(identifier: "enrichd")
        var journal = JournalLogHandler(identifier: "enrichd")
        #expect(standardError.logLevel == .info && journal.logLevel == .info, "no switch: info")
        standardError.levelSwitch = levels
        journal.levelSwitch = levels
        levels.level = .debug
        #expect(standardError.logLevel == .debug && journal.logLevel == .debug)
        standardError.logLevel = .error
        journal.logLevel = .trace
        levels.level = .warning
        #expect(standardError.logLevel == .error && journal.logLevel == .trace)
    }
}
