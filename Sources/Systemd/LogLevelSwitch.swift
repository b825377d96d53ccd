import Logging
import Synchronization

/// The daemon's log level, changeable while it runs (`logLevel` in a configuration reloaded by SIGHUP): the
/// handlers made by ``StandardErrorDestination/makeHandlerFactory(identifier:levels:)`` read it on every check
/// unless a logger set its own level.
public final class LogLevelSwitch: Sendable {
    public static let shared = LogLevelSwitch(.info)

    private let raw: Atomic<Int>

    public init(_ level: Logger.Level) {
        self.raw = Atomic(Self.index(of: level))
    }

    public var level: Logger.Level {
        get { Logger.Level.allCases[self.raw.load(ordering: .relaxed)] }
        set { self.raw.store(Self.index(of: newValue), ordering: .relaxed) }
    }

    private static func index(of level: Logger.Level) -> Int {
        Logger.Level.allCases.firstIndex(of: level)!
    }
}
