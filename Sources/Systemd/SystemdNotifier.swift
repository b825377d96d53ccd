import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Sends sd_notify(3) messages to the service manager, through libsystemd's `sd_notify`.
///
/// When the process was not started by systemd (`NOTIFY_SOCKET` unset), every call is a cheap no-op,
/// so the daemon can notify unconditionally.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (`NOTIFY_SOCKET` is set).
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends the states in one datagram.
    ///
    /// - Returns: `true` when the message was sent, `false` when no manager listens or sending failed.
    @discardableResult
    public func notify(_ states: NotifyState...) -> Bool {
        self.notify(states)
    }

    /// Sends the states in one datagram.
    @discardableResult
    public func notify(_ states: [NotifyState]) -> Bool {
        guard !states.isEmpty else { return false }
        let message = states.map(\.rawValue).joined(separator: "\n")
        return sd_notify(0, message) > 0
    }

    /// Sends `WATCHDOG=1` from a constant string: no allocation, the shortest path for a thread that wakes up
    /// cold once per half watchdog interval.
    @discardableResult
    public func pingWatchdog() -> Bool {
        sd_notify(0, "WATCHDOG=1") > 0
    }

    /// The watchdog interval systemd expects pings within (`WATCHDOG_USEC`), read with `sd_watchdog_enabled`.
    ///
    /// - Returns: `nil` when `WatchdogSec=` is not set for this process.
    public func watchdogInterval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }
}
