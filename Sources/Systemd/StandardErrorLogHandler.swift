import Foundation
import Logging

/// A swift-log handler that writes one readable line per record to stderr:
/// `2026-11-30T07:53:29.123Z notice enrichd: job completed job_id=a1 job_name="EMEA Q4"`.
public struct StandardErrorLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// The level this handler's logger set, else the shared one's (see ``LogLevelSwitch``), else `.info`.
    public var logLevel: Logger.Level {
        get { self.ownLevel ?? self.levelSwitch?.level ?? .info }
        set { self.ownLevel = newValue }
    }
    private var ownLevel: Logger.Level?
    /// Follow a level that may change while the program runs.
    public var levelSwitch: LogLevelSwitch?
    private let identifier: String

    public init(identifier: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let eventMetadata = event.metadata { merged.merge(eventMetadata) { _, new in new } }
        var line = "\(Self.timestamp()) \(event.level) \(self.identifier): \(event.message)"
        if let error = event.error { line += " error=\(Self.quoted(String(describing: error)))" }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted(merged[key]!.description))"
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline })
        else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
