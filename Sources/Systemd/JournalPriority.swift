import Logging

/// A syslog(3) priority as journald stores it in `PRIORITY=`.
public struct JournalPriority: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// `LOG_CRIT`
    public static let critical = JournalPriority(rawValue: 2)
    /// `LOG_ERR`
    public static let error = JournalPriority(rawValue: 3)
    /// `LOG_WARNING`
    public static let warning = JournalPriority(rawValue: 4)
    /// `LOG_NOTICE`
    public static let notice = JournalPriority(rawValue: 5)
    /// `LOG_INFO`
    public static let info = JournalPriority(rawValue: 6)
    /// `LOG_DEBUG`
    public static let debug = JournalPriority(rawValue: 7)

    /// The priority for a swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}
