import ArgumentParser
import Foundation

/// enrichctl's exit statuses: one meaning each, the same in every command (sysexits.h's where one fits). Only a
/// wrong command line prints `Usage:` and exits 64; what goes wrong at run time has its own status and a message
/// saying what to do. `connection verify` adds its own (0, 2, 3, 4; see its --help).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// The job ended failed or cancelled (`status --follow`, `wait`).
    case jobFailed = 1
    /// `wait --timeout` passed first.
    case timedOut = 2
    /// EX_USAGE: the command line is wrong.
    case usage = 64
    /// EX_DATAERR: the job is invalid (submit, validate, estimate); the message names the file and line.
    case invalidJob = 65
    /// EX_NOINPUT: no such job (or saved enrichment) in the spool.
    case noSuchJob = 66
    /// EX_UNAVAILABLE: not possible in the job's state (the report of a job still running, cancelling a finished
    /// job, retrying one that succeeded).
    case notNow = 69
    /// EX_SOFTWARE: an unexpected error; the message says which.
    case unexpected = 70
    /// EX_CANTCREAT: cannot write into the spool (not set up, full, not permitted).
    case cannotWrite = 73
    /// EX_CONFIG: the daemon's configuration is missing or invalid.
    case configuration = 78

    var meaning: String {
        switch self {
        case .success: "success"
        case .jobFailed: "the job ended failed or cancelled (status --follow, wait)"
        case .timedOut: "wait --timeout passed before the job ended"
        case .usage: "the command line is wrong (the only case that prints Usage:)"
        case .invalidJob: "the job is invalid (submit, validate, estimate)"
        case .noSuchJob: "no such job (or saved enrichment) in the spool"
        case .notNow: "not possible in the job's state (e.g. report of a running job, cancel of a finished one)"
        case .unexpected: "an unexpected error (the message says which)"
        case .cannotWrite: "cannot write into the spool (not set up, full, not permitted)"
        case .configuration: "the daemon's configuration is missing or invalid"
        }
    }

    /// The table `enrichctl --help` ends with.
    static var help: String {
        "Exit status:\n" + Self.allCases.map { status in
            "  " + String(status.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0) + status.meaning
        }.joined(separator: "\n") + "\n  connection verify adds its own: see enrichctl connection verify --help"
    }
}

/// A run-time failure: its message goes to standard error (made safe for the terminal), and the program exits
/// with its status, without the usage text.
struct CommandFailure: Error, CustomStringConvertible, Encodable {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { self.message }

    /// `{"error": "…", "exitStatus": 66}`, what `--json` prints for it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(self.message, forKey: .error)
        try container.encode(self.status.rawValue, forKey: .exitStatus)
    }

    private enum Keys: String, CodingKey {
        case error, exitStatus
    }
}

/// A command with `--json`: what it prints on standard output is JSON whatever happens, a failure included.
protocol JSONOutputCommand {
    var json: Bool { get }
}
