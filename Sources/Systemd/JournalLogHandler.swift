import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A swift-log handler that writes native journald records through `sd_journal_sendv`.
///
/// Every record carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE` and `CODE_FUNC`;
/// metadata becomes upper-case fields (`job_id` → `JOB_ID`), so `journalctl -u enrichd JOB_ID=…` finds a job.
/// Use it only when stderr is the journal (see ``StandardErrorDestination``): `sd_journal_sendv` reports
/// success even when no journald listens.
public struct JournalLogHandler: SwitchedLogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    var ownLevel: Logger.Level?
    /// Follow a level that may change while the program runs.
    public var levelSwitch: LogLevelSwitch?
    private let identifier: String

    /// - Parameter identifier: the `SYSLOG_IDENTIFIER` of every record (the program name).
    public init(identifier: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public func log(event: LogEvent) {
        var fields = JournalRecord()
        fields.append("MESSAGE", event.message.description)
        fields.append("PRIORITY", String(JournalPriority(event.level).rawValue))
        fields.append("SYSLOG_IDENTIFIER", self.identifier)
        fields.append("CODE_FILE", event.file)
        fields.append("CODE_LINE", String(event.line))
        fields.append("CODE_FUNC", event.function)
        if let error = event.error {
            fields.append("ERROR", String(describing: error))
        }
        for (key, value) in self.metadata(of: event) {
            guard let name = JournalRecord.fieldName(forMetadataKey: key) else { continue }
            fields.append(name, value.description)
        }
        fields.send()
    }
}

/// The `FIELD=value` entries of one journal record, in one buffer, sent as an iovec array.
struct JournalRecord {
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []

    init() {
        self.bytes.reserveCapacity(512)
    }

    mutating func append(_ name: String, _ value: String) {
        let start = self.bytes.count
        self.bytes.append(contentsOf: name.utf8)
        self.bytes.append(UInt8(ascii: "="))
        self.bytes.append(contentsOf: value.utf8)
        self.ranges.append(start..<self.bytes.count)
    }

    /// Sends the record; the journal protocol is binary-safe, so values may hold newlines.
    func send() {
        self.bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var vectors = self.ranges.map { range in
                iovec(iov_base: UnsafeMutableRawPointer(mutating: base + range.lowerBound), iov_len: range.count)
            }
            _ = sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }

    /// A journal field name for a metadata key: upper case, `[A-Z0-9_]`, not starting with `_` or a digit
    /// (those are reserved for trusted fields), at most 64 characters.
    static func fieldName(forMetadataKey key: String) -> String? {
        var name = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "a"..."z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            case "A"..."Z", "0"..."9", "_": name.unicodeScalars.append(scalar)
            default: name.append("_")
            }
        }
        while name.first == "_" { name.removeFirst() }
        guard let first = name.first else { return nil }
        if first.isNumber { name = "F_" + name }
        return String(name.prefix(64))
    }
}
