import Formats

/// One assignment of the sd_notify(3) protocol, such as `READY=1` or `STATUS=idle`.
///
/// Several states are sent together, separated by newlines, in a single datagram.
public struct NotifyState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { self.rawValue }

    /// `READY=1`: start-up (or a reload) is finished.
    public static let ready = NotifyState(rawValue: "READY=1")
    /// `STOPPING=1`: the service is beginning its shutdown.
    public static let stopping = NotifyState(rawValue: "STOPPING=1")
    /// `RELOADING=1`: the service is reloading its configuration; must be paired with ``monotonicNow()``.
    public static let reloading = NotifyState(rawValue: "RELOADING=1")
    /// `WATCHDOG=1`: keep-alive ping for `WatchdogSec=`.
    public static let watchdog = NotifyState(rawValue: "WATCHDOG=1")

    /// `STATUS=…`: a single line shown by `systemctl status`. Newlines are replaced, as they would end the field
    /// (and start another assignment); other control characters are escaped (``TerminalText``), as `systemctl`
    /// prints the line raw to an administrator's terminal and it carries job names.
    public static func status(_ text: String) -> NotifyState {
        let line = TerminalText.safe(text.replacingNewlines())
        return NotifyState(rawValue: "STATUS=\(line)")
    }

    /// `EXTEND_TIMEOUT_USEC=…`: asks the manager for more time in the current start-up or shutdown phase.
    public static func extendTimeout(microseconds: UInt64) -> NotifyState {
        NotifyState(rawValue: "EXTEND_TIMEOUT_USEC=\(microseconds)")
    }

    /// `MONOTONIC_USEC=…` with the current `CLOCK_MONOTONIC` time, as `RELOADING=1` requires.
    public static func monotonicNow() -> NotifyState {
        NotifyState(rawValue: "MONOTONIC_USEC=\(MonotonicClock.microseconds())")
    }

    /// `MAINPID=…`.
    public static func mainPID(_ pid: Int32) -> NotifyState {
        NotifyState(rawValue: "MAINPID=\(pid)")
    }
}

extension String {
    func replacingNewlines() -> String {
        guard self.contains(where: \.isNewline) else { return self }
        return String(self.map { $0.isNewline ? " " : $0 })
    }
}
