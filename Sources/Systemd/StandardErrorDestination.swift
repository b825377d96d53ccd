import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decides where log records go: natively to journald when stderr is connected to the journal, else to stderr.
public enum StandardErrorDestination: Equatable, Sendable {
    case journal
    case stream

    /// Detects the destination as systemd documents it: `JOURNAL_STREAM` holds `device:inode` of the
    /// journal stream connected to stderr; if stderr is something else (redirected), write plain lines.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        guard let value = environment["JOURNAL_STREAM"] else { return .stream }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .stream }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return .stream }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode ? .journal : .stream
    }

    /// A log handler factory for `LoggingSystem.bootstrap` writing to the detected destination, at the level
    /// of `levels` (which may change later).
    public static func makeHandlerFactory(
        identifier: String,
        levels: LogLevelSwitch = .shared
    ) -> @Sendable (String) -> any LogHandler {
        let destination = Self.detect()
        return { _ in
            switch destination {
            case .journal:
                var handler = JournalLogHandler(identifier: identifier)
                handler.levelSwitch = levels
                return handler
            case .stream:
                var handler = StandardErrorLogHandler(identifier: identifier)
                handler.levelSwitch = levels
                return handler
            }
        }
    }
}
