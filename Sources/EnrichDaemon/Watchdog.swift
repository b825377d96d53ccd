import Dispatch
import Foundation
import Locking
import Systemd

/// systemd's watchdog (`WatchdogSec=`): pings every half interval from the main thread, while the daemon is
/// provably turning.
///
/// Idle, a ping costs one thread's wake-up (no queue hops): the loop pings itself as long as the control queue
/// ran a heartbeat lately (asked for one every ``heartbeatTicks`` pings, so a wedged control queue still stops
/// the pings). Busy, the control queue checks the schedulers and pings (``stalled(inFlight:paused:lastTurn:now:window:)``).
final class Watchdog: Sendable {
    private struct Liveness {
        var started = false
        var busy = false
        var beat: UInt64 = 0
    }

    static let heartbeatTicks: UInt64 = 8

    private let liveness: Locked<Liveness>
    /// The uptime of the last request sent or completed, marked from scheduler and event-loop threads.
    private let lastTurn: Locked<UInt64>
    private let clock: any UptimeClock

    init(clock: any UptimeClock = SystemUptime()) {
        self.clock = clock
        self.liveness = Locked(Liveness(beat: clock.nanoseconds))
        self.lastTurn = Locked(clock.nanoseconds)
    }

    /// Pings begin (the daemon is up).
    func start() {
        self.markBeat()
        self.liveness.withLock { $0.started = true }
    }

    func setBusy(_ busy: Bool) { self.liveness.withLock { $0.busy = busy } }
    /// The control queue is alive.
    func markBeat() {
        let now = self.clock.nanoseconds
        self.liveness.withLock { $0.beat = now }
    }
    /// A request was sent or completed.
    func markTurn() {
        let now = self.clock.nanoseconds
        self.lastTurn.withLock { $0 = now }
    }
    var lastTurnNanoseconds: UInt64 { self.lastTurn.withLock { $0 } }

    /// Whether an idle daemon's loop may ping: the control queue's last heartbeat is recent enough.
    static func heartbeatIsRecent(now: UInt64, beat: UInt64, period: UInt64, window: UInt64) -> Bool {
        now < beat || now - beat <= Self.heartbeatTicks * period + window
    }

    /// Whether a connection's scheduler is wedged: requests outstanding (not paused), none sent or completed for
    /// a whole watchdog interval.
    static func stalled(inFlight: Int, paused: Bool, lastTurn: UInt64, now: UInt64, window: UInt64) -> Bool {
        inFlight > 0 && !paused && now > lastTurn && now - lastTurn > window
    }

    /// Runs the loop on the calling thread (the main thread, with the handled signals blocked); never returns.
    /// - Parameters:
    ///   - busyTick: while jobs are active, asked each period to check the schedulers and ping (on the control
    ///     queue).
    ///   - heartbeat: asked every ``heartbeatTicks`` periods to mark a beat on the control queue.
    func run(interval: Duration, notifier: SystemdNotifier, busyTick: @escaping @Sendable (_ window: UInt64) -> Void,
             heartbeat: @escaping @Sendable () -> Void) -> Never {
        let window = UInt64(interval.components.seconds) * 1_000_000_000
            + UInt64(interval.components.attoseconds / 1_000_000_000)
        let period = window / 2
        var tick: UInt64 = 0
        while true {
            var pause = timespec(tv_sec: Int(period / 1_000_000_000), tv_nsec: Int(period % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
            let state = self.liveness.withLock { $0 }
            guard state.started else { continue }
            tick += 1
            if state.busy {
                busyTick(window)
                continue
            }
            if tick % Self.heartbeatTicks == 0 { heartbeat() }
            if Self.heartbeatIsRecent(now: self.clock.nanoseconds, beat: state.beat, period: period, window: window) {
                notifier.pingWatchdog()
            }
        }
    }
}
