import Formats
import Foundation
import Logging

/// A swift-log handler that writes one readable line per record to stderr:
/// `2026-11-30T07:53:29.123Z notice enrichd: job completed job_id=a1 job_name="EMEA Q4"`.
public struct StandardErrorLogHandler: SwitchedLogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    var ownLevel: Logger.Level?
    /// Follow a level that may change while the program runs.
    public var levelSwitch: LogLevelSwitch?
    private let identifier: String

    public init(identifier: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(self.line(for: event, timestamp: Self.timestamp()).utf8))
    }

    /// The record's line, newline included: metadata in key order, values quoted when they hold a space, a
    /// quote, `=`, a backslash or a control character. Messages and values carry job names, file and column names
    /// that a submitter chose: their control characters are escaped (``TerminalText``), so the record stays on
    /// one line and nothing in it reaches the administrator's terminal as an escape sequence (the journal's
    /// fields keep the raw value: journalctl escapes on display).
    func line(for event: LogEvent, timestamp: String) -> String {
        let metadata = self.metadata(of: event)
        var line = "\(timestamp) \(event.level) \(self.identifier): \(TerminalText.safe(event.message.description))"
        if let error = event.error { line += " error=\(Self.quoted(String(describing: error)))" }
        for key in metadata.keys.sorted() {
            line += " \(key)=\(Self.quoted(metadata[key]!.description))"
        }
        return line + "\n"
    }

    private static func quoted(_ value: String) -> String {
        let escaped = TerminalText.escaped(value)
        guard escaped.isEmpty || escaped != value || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
        else { return value }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
