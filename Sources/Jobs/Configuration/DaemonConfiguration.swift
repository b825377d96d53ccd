import Formats
import Foundation

/// The daemon's configuration, `/etc/enrichd/enrichd.json`.
public struct DaemonConfiguration: Sendable, Equatable {
    public static let defaultPath = "/etc/enrichd/enrichd.json"

    public var spool: String = "/var/spool/enrichd"
    /// Jobs enriched at once; the rest wait in `incoming/`.
    public var maxActiveJobs: Int = 4
    /// Finished jobs older than this are removed from `done/` and `failed/`.
    public var retentionDays: Int = 30
    public var connections: [String: ConnectionConfiguration] = [:]
    /// The persistent lookup cache; off unless the configuration has a `cache` section.
    public var cache = CacheConfiguration()
    public var cacheEnabled = false
    public var retry = RetryConfiguration()
    /// Directories a descriptor may name absolute input paths under.
    public var inputRoots: [String] = []
    /// Log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String = "info"
    /// Commands the daemon runs when something happens; none unless configured.
    public var hooks = HooksConfiguration()

    public init() {}
}

/// `hooks`: commands the daemon runs on events.
public struct HooksConfiguration: Sendable, Equatable {
    /// `hooks.runFinished`: run after every job that reaches done/ or failed/ (succeeded, completed with warnings,
    /// failed or cancelled), a one-off job or a saved enrichment's run.
    public var runFinished: HookCommand?

    public init() {}
}

/// A command the daemon runs as its own user, without a shell, with a timeout.
public struct HookCommand: Sendable, Equatable {
    /// The program (an absolute path), then its arguments.
    public var command: [String]
    /// When the command has not exited after this, its process group gets SIGTERM, and SIGKILL a few seconds later.
    public var timeoutSeconds: Int = 30

    public init(command: [String], timeoutSeconds: Int = 30) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }

    public var program: String { self.command[0] }
}

/// One Leadspace account the daemon may use.
public struct ConnectionConfiguration: Sendable, Equatable {
    public var baseURL: String = "https://apigw.leadspace.com"
    /// Customer Insights' "I agree": jobs may only use the connection when `true`.
    public var dataSharingConsent: Bool = false
    /// A credential name in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
    public var tokenCredential: String?
    /// A token file path; refused when readable by group or others.
    public var tokenFile: String?
    /// OAuth program id, with `secretCredential` or `secretFile`.
    public var programId: String?
    public var secretCredential: String?
    public var secretFile: String?
    public var ratePerSecond: Double = 30
    /// Requests the token bucket may send at once after an idle spell; defaults to one second's worth.
    public var burst: Int?
    public var maxInFlight: Int = 16
    /// `single` unless configured: a bulk call whose answer is lost to a crash is paid again in full (up to 500
    /// records), because the bulk id is not yet kept in the job's ledger.
    public var apiMode: APIMode = .single
    /// Per-request deadline; keep it below the unit's `WatchdogSec=` (a request outstanding longer than the
    /// watchdog interval with no other progress counts as a stalled scheduler).
    public var requestTimeoutMs: Int = 20_000
    /// While paused (credits exhausted, credentials refused), one probe request is sent this often.
    public var probeIntervalSeconds: Int = 60
    /// With `apiMode: auto`, a job with more pending lookups than this uses bulk calls.
    public var bulkThreshold: Int = 1000

    public init() {}

    public enum APIMode: String, Sendable, Equatable, CaseIterable {
        case single, bulk, auto
    }
}

public struct CacheConfiguration: Sendable, Equatable {
    public var path: String = "/var/lib/enrichd/cache.sqlite"
    public var matchFreshnessDays: Int = 30
    public var missFreshnessDays: Int = 7
    public init() {}
}

public struct RetryConfiguration: Sendable, Equatable {
    public var maxAttempts: Int = 6
    public var baseDelayMs: Int = 500
    public var maxDelayMs: Int = 30_000
    public init() {}
}

extension DaemonConfiguration {
    /// Reads and checks a configuration file.
    ///
    /// - Parameter checkingPrograms: also check that each hook's program exists and this process may run it: the
    ///   daemon does (at start, on SIGHUP, with `--check-config`); enrichctl, which reads the same file as another
    ///   user who need not be able to run the hooks, does not.
    public static func load(path: String, checkingPrograms: Bool = false) throws(JobError) -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw JobError(exists ? .unreadableFile : .fileNotFound,
                           exists ? "cannot read the configuration file" : "configuration file not found", file: path,
                           hint: exists ? "check its permissions" : "create it (see etc/enrichd/enrichd.json) or pass --config")
        }
        return try self.parse([UInt8](data), file: path, checkingPrograms: checkingPrograms)
    }

    public static func parse(_ bytes: [UInt8], file: String, checkingPrograms: Bool = false) throws(JobError)
        -> DaemonConfiguration
    {
        let root = try JSONObjectReader.document(bytes, file: file)
        var configuration = DaemonConfiguration()
        if let spool = try root.nonEmptyString("spool") {
            guard spool.hasPrefix("/") else { throw root.invalid("spool", "\"spool\" must be an absolute path") }
            configuration.spool = spool
        }
        configuration.maxActiveJobs = try root.integer("maxActiveJobs", range: 1...1024) ?? configuration.maxActiveJobs
        configuration.retentionDays = try root.integer("retentionDays", range: 1...36_500) ?? configuration.retentionDays
        configuration.inputRoots = try root.stringArray("inputRoots") ?? []
        for (offset, inputRoot) in configuration.inputRoots.enumerated() where !inputRoot.hasPrefix("/") {
            throw root.invalid("inputRoots", "input root #\(offset + 1) \"\(inputRoot)\" must be an absolute path")
        }
        if let level = try root.string("logLevel") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level) else {
                throw root.invalid("logLevel", "unknown log level \"\(level)\"", hint: "use one of \(levels.joined(separator: ", "))")
            }
            configuration.logLevel = level
        }
        for (name, reader) in try root.objectMap("connections") ?? [] {
            configuration.connections[name] = try Self.parseConnection(reader)
        }
        if let cache = try root.object("cache") {
            configuration.cacheEnabled = true
            configuration.cache.path = try cache.nonEmptyString("path") ?? configuration.cache.path
            if configuration.cache.path == "off" { configuration.cacheEnabled = false }
            configuration.cache.matchFreshnessDays = try cache.integer("matchFreshnessDays", range: 0...3650)
                ?? configuration.cache.matchFreshnessDays
            configuration.cache.missFreshnessDays = try cache.integer("missFreshnessDays", range: 0...3650)
                ?? configuration.cache.missFreshnessDays
            try cache.finish()
        }
        if let retry = try root.object("retry") {
            configuration.retry.maxAttempts = try retry.integer("maxAttempts", range: 1...100) ?? configuration.retry.maxAttempts
            configuration.retry.baseDelayMs = try retry.integer("baseDelayMs", range: 1...3_600_000)
                ?? configuration.retry.baseDelayMs
            configuration.retry.maxDelayMs = try retry.integer("maxDelayMs", range: 1...3_600_000)
                ?? configuration.retry.maxDelayMs
            try retry.finish()
        }
        if let hooks = try root.object("hooks") {
            if let runFinished = try hooks.object("runFinished") {
                configuration.hooks.runFinished = try Self.parseHook(runFinished, checkingProgram: checkingPrograms)
            }
            try hooks.finish()
        }
        try root.finish()
        return configuration
    }

    /// `{"command": ["/usr/local/bin/page-oncall", "--team", "crm"], "timeoutSeconds": 30}`.
    private static func parseHook(_ reader: JSONObjectReader, checkingProgram: Bool) throws(JobError) -> HookCommand {
        let example = #"write e.g. "command": ["/usr/local/bin/page-oncall", "--team", "crm"]"#
        guard let command = try reader.stringArray("command") else {
            throw reader.missing("command", hint: "name the program to run and its arguments: \(example)")
        }
        guard let program = command.first else {
            throw reader.invalid("command", "\"command\" must name a program to run", hint: example)
        }
        func invalidElement(_ index: Int, _ message: String, code: JobError.Code = .invalidValue, hint: String)
            -> JobError
        {
            var error = reader.invalid("command", message, hint: hint)
            error.code = code
            error.keyPath = (error.keyPath ?? "command") + "[\(index)]"
            return error
        }
        for (index, argument) in command.enumerated() where argument.contains("\0") {
            throw invalidElement(index, "argument #\(index + 1) contains a NUL character",
                                 hint: "a program's arguments are C strings: remove the \\u0000")
        }
        guard program.hasPrefix("/") else {
            throw invalidElement(0, "the program \"\(program)\" must be an absolute path",
                                 hint: "it runs without a shell or a search path: write e.g. "
                                     + "\"/usr/local/bin/\(program)\"")
        }
        var hook = HookCommand(command: command)
        hook.timeoutSeconds = try reader.integer("timeoutSeconds", range: 1...3600) ?? hook.timeoutSeconds
        try reader.finish()
        if checkingProgram, let problem = Self.programProblem(program) {
            throw invalidElement(0, problem.message, code: problem.code, hint: problem.hint)
        }
        return hook
    }

    /// Why this process cannot run `program`, or `nil` when it can.
    private static func programProblem(_ program: String) -> (code: JobError.Code, message: String, hint: String)? {
        var status = stat()
        guard stat(program, &status) == 0 else {
            let number = errno
            let reason = String(cString: strerror(number))
            return number == ENOENT
                ? (.fileNotFound, "the program \"\(program)\" does not exist", "install it, or correct the path")
                : (.unreadableFile, "cannot see the program \"\(program)\": \(reason)",
                   "let the service user reach its directory")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return (.invalidValue, "the program \"\(program)\" is not a regular file", "name an executable file")
        }
        // Anyone could change what the service user runs.
        guard status.st_mode & S_IWOTH == 0 else {
            return (.invalidValue, "the program \"\(program)\" is writable by every user",
                    "chmod o-w \(program)")
        }
        guard access(program, X_OK) == 0 else {
            return (.invalidValue, "the program \"\(program)\" is not executable by uid \(getuid())",
                    "chmod 755 \(program), or give the service user (or its group) execute permission")
        }
        return nil
    }

    private static func parseConnection(_ reader: JSONObjectReader) throws(JobError) -> ConnectionConfiguration {
        var connection = ConnectionConfiguration()
        if let baseURL = try reader.nonEmptyString("baseURL") {
            guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw reader.invalid("baseURL", "\"\(baseURL)\" is not an http(s) URL")
            }
            connection.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
        connection.dataSharingConsent = try reader.bool("dataSharingConsent") ?? false
        connection.tokenCredential = try reader.nonEmptyString("tokenCredential")
        connection.tokenFile = try reader.nonEmptyString("tokenFile")
        connection.programId = try reader.nonEmptyString("programId")
        connection.secretCredential = try reader.nonEmptyString("secretCredential")
        connection.secretFile = try reader.nonEmptyString("secretFile")
        connection.ratePerSecond = try reader.double("ratePerSecond", range: 0.01...10_000) ?? connection.ratePerSecond
        connection.burst = try reader.integer("burst", range: 1...100_000)
        connection.maxInFlight = try reader.integer("maxInFlight", range: 1...1024) ?? connection.maxInFlight
        connection.requestTimeoutMs = try reader.integer("requestTimeoutMs", range: 100...600_000)
            ?? connection.requestTimeoutMs
        connection.bulkThreshold = try reader.integer("bulkThreshold", range: 0...10_000_000) ?? connection.bulkThreshold
        connection.probeIntervalSeconds = try reader.integer("probeIntervalSeconds", range: 1...86_400)
            ?? connection.probeIntervalSeconds
        if let mode = try reader.string("apiMode") {
            guard let parsed = ConnectionConfiguration.APIMode(rawValue: mode) else {
                throw reader.invalid("apiMode", "unknown API mode \"\(mode)\"", hint: "use \"single\", \"bulk\" or \"auto\"")
            }
            connection.apiMode = parsed
        }
        try reader.finish()
        if connection.tokenCredential == nil && connection.tokenFile == nil && connection.programId == nil {
            throw reader.missing(
                "tokenCredential",
                hint: "give the connection a token: \"tokenCredential\" (systemd LoadCredential=), \"tokenFile\", or OAuth \"programId\" + \"secretFile\"")
        }
        if connection.programId != nil && connection.secretCredential == nil && connection.secretFile == nil {
            throw reader.missing("secretFile", hint: "OAuth needs the program's secret: \"secretCredential\" or \"secretFile\"")
        }
        return connection
    }
}
