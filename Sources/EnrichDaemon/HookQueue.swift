/// Which hooks run now and which wait: at most `limit` at once, the rest in arrival order up to `backlog`, after
/// which a new one is dropped (a hook slower than the jobs it reports on must not grow the daemon without bound).
/// A pure value: ``RunFinishedHook`` performs what it decides.
struct HookQueue<Item: Sendable>: Sendable {
    enum Admission: Sendable {
        case start(Item)
        case wait
        /// The backlog is full, or the daemon is stopping.
        case drop(Item)
    }

    let limit: Int
    let backlog: Int
    private(set) var running = 0
    private(set) var waiting: [Item] = []
    private(set) var stopped = false

    init(limit: Int, backlog: Int) {
        precondition(limit > 0 && backlog >= 0)
        self.limit = limit
        self.backlog = backlog
    }

    /// Nothing runs and nothing waits.
    var isIdle: Bool { self.running == 0 && self.waiting.isEmpty }

    mutating func submit(_ item: Item) -> Admission {
        guard !self.stopped else { return .drop(item) }
        if self.running < self.limit {
            self.running += 1
            return .start(item)
        }
        guard self.waiting.count < self.backlog else { return .drop(item) }
        self.waiting.append(item)
        return .wait
    }

    /// A hook ended; returns the next to start in its place.
    mutating func finished() -> Item? {
        precondition(self.running > 0, "a hook finished that was not running")
        guard !self.stopped, !self.waiting.isEmpty else {
            self.running -= 1
            return nil
        }
        return self.waiting.removeFirst()
    }

    /// The daemon stops: nothing starts from now on; returns the hooks that were waiting, which will not run.
    mutating func stop() -> [Item] {
        self.stopped = true
        defer { self.waiting = [] }
        return self.waiting
    }
}
