import Foundation
import Jobs
import Locking

/// A job's progress counters behind a lock, with answers counted per 100 ms over the last five seconds for
/// the rate (constant work per answer: bulk calls deliver thousands a second). Time comes from `clock`.
final class PublishedProgress: Sendable {
    struct State {
        var name = ""
        var outputTable = ""
        var connection = ""
        var phase = ProgressReport.Phase.planning
        var rows = 0
        var inScope = 0
        var lookups = 0
        var answered = 0
        var pausedReason: String?
        /// Answers per 100 ms slot; slot `i` covers [`(newest - i) × 100 ms`, +100 ms) of uptime.
        var answerSlots = [Int](repeating: 0, count: PublishedProgress.slots)
        /// The uptime slot (uptime ÷ 100 ms) `answerSlots[0]` counts.
        var newestSlot: UInt64 = 0

        /// Moves the window up to `slot`, dropping counts older than five seconds.
        mutating func advance(to slot: UInt64) {
            guard slot > self.newestSlot else { return }
            let shift = Int(min(slot - self.newestSlot, UInt64(PublishedProgress.slots)))
            self.answerSlots.removeLast(shift)
            self.answerSlots.insert(contentsOf: repeatElement(0, count: shift), at: 0)
            self.newestSlot = slot
        }
    }

    static let slots = 50
    static let slotNanoseconds: UInt64 = 100_000_000

    private let state = Locked(State())
    private let clock: any UptimeClock
    /// When the job started, on `clock`.
    private let started: UInt64

    init(clock: any UptimeClock = SystemUptime()) {
        self.clock = clock
        self.started = clock.nanoseconds
    }

    func update(answered: Bool, _ body: (inout State) -> Void) {
        let slot = self.clock.nanoseconds / Self.slotNanoseconds
        self.state.withLock { state in
            body(&state)
            guard answered else { return }
            state.advance(to: slot)
            state.answerSlots[0] += 1
        }
    }

    func snapshot() -> State {
        self.state.withLock { $0 }
    }

    /// The report `progress.json` and `STATUS=` show; the rate is answers over the last five seconds (or since
    /// the start, at least half a second).
    func report(id: String, startedAt: Date, now: Date = Date()) -> ProgressReport {
        let uptime = self.clock.nanoseconds
        let elapsed = Double(uptime - min(uptime, self.started)) / 1e9
        return self.state.withLock { state in
            state.advance(to: uptime / Self.slotNanoseconds)
            let recent = state.answerSlots.reduce(0, +)
            let window = min(5.0, max(0.5, elapsed))
            return ProgressReport(
                id: id, name: state.name.isEmpty ? id : state.name, outputTable: state.outputTable,
                connection: state.connection, phase: state.phase, rows: state.rows,
                inScope: state.inScope, lookups: state.lookups, answered: state.answered,
                lookupsPerSecond: (Double(recent) / window * 10).rounded() / 10,
                startedAt: Timestamp.iso(startedAt), updatedAt: Timestamp.iso(now), pausedReason: state.pausedReason)
        }
    }
}
