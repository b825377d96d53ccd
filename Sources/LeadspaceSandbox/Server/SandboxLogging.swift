import Logging

/// Sends every log line of the process to standard error: standard output carries only the `listening on`
/// line, which tests read through a pipe.
public enum SandboxLogging {
    /// Bootstraps swift-log once per process; `level` applies to the handlers it creates.
    public static func bootstrapStandardError(level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
