import Dispatch
import Locking

/// Where the daemon's time-dependent logic reads the time: nanoseconds on a monotonic clock. The daemon uses
/// ``SystemUptime``; unit tests pass a ``ManualUptime`` they move by hand, so no test waits for time to pass.
protocol UptimeClock: Sendable {
    var nanoseconds: UInt64 { get }
}

/// The system's monotonic uptime (`DispatchTime`).
struct SystemUptime: UptimeClock {
    var nanoseconds: UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// A clock that moves only when told to (virtual time, for tests).
final class ManualUptime: UptimeClock {
    private let now: Locked<UInt64>
    init(_ start: UInt64 = 1_000_000_000) { self.now = Locked(start) }
    var nanoseconds: UInt64 { self.now.withLock { $0 } }
    func advance(nanoseconds: UInt64) { self.now.withLock { $0 += nanoseconds } }
    func advance(seconds: Double) { self.advance(nanoseconds: UInt64(seconds * 1e9)) }
}
