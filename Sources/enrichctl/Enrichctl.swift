import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

@main
struct Enrichctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrichctl",
        abstract: "Submit and follow enrichd jobs (works on the spool; no daemon connection needed).",
        discussion: ExitStatus.help,
        subcommands: [Submit.self, Validate.self, List.self, Status.self, Wait.self, Report.self, Show.self, Cancel.self, Retry.self, Estimate.self, Enrichment.self, Enrichments.self, Cache.self, Connection.self]
    )

    /// ArgumentParser's main, except for what a command throws at run time: a ``CommandFailure`` prints its
    /// message and exits with its own status, without the usage text; anything unforeseen exits 70 with its
    /// message. Every message is made safe for the terminal first.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try Self.parseAsRoot()
        } catch {
            Self.exit(withError: error)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let failure as CommandFailure {
            Console.error("enrichctl: \(failure.message)")
            // --json prints JSON, also when there is nothing to show: the failure, for the script reading it.
            if (command as? any JSONOutputCommand)?.json == true {
                try? printJSON(failure)
            }
            Foundation.exit(failure.status.rawValue)
        } catch let error where error is ExitCode || error is CleanExit {
            Self.exit(withError: error)
        } catch let error as ValidationError {
            Console.error(Self.fullMessage(for: error))
            Foundation.exit(Self.exitCode(for: error).rawValue)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help and the like that ArgumentParser signals from run().
            Self.exit(withError: error)
        } catch {
            Console.error("enrichctl: \(error)")
            Foundation.exit(ExitStatus.unexpected.rawValue)
        }
    }
}

struct SpoolOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's configuration file (for the spool location).",
            completion: .file(extensions: ["json"]))
    var config: String = DaemonConfiguration.defaultPath

    @Option(name: .long, help: "The spool directory (overrides the configuration).", completion: .directory)
    var spool: String?

    func layout() throws -> SpoolLayout {
        if let spool { return SpoolLayout(root: spool) }
        do {
            return SpoolLayout(root: try DaemonConfiguration.load(path: self.config).spool)
        } catch {
            throw CommandFailure(.configuration, "\(error.description)\n(or pass --spool DIR)")
        }
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a job: a job.json (its data files are copied along) or a bundle directory.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "job.json or a bundle directory containing job.json", completion: .file(extensions: ["json"]))
    var job: String

    @Option(name: .long, help: "The job id to use (default: OutputTable-date-time-random).")
    var id: String?

    @Flag(name: .long, help: "Only preview the cost (as enrichctl estimate); submit nothing.")
    var dryRun = false

    @Option(name: .customLong("max-paid"),
            help: "The job's spending cap: the most lookups it may send to Leadspace (its \"maxPaidLookups\"); reached, the job pauses until the cap is raised in active/ID/job.json and the daemon reloaded.")
    var maxPaid: Int?

    func validate() throws {
        if let maxPaid, maxPaid < 0 || maxPaid > 1_000_000_000 {
            throw ValidationError("--max-paid \(maxPaid): a number of lookups from 0 to 1000000000")
        }
        if let id = self.id, !SpoolLayout.isValidID(id) {
            throw ValidationError("--id \(id): a job id is 1 to \(SpoolLayout.maximumIDLength) letters, digits, '.', '_' or '-'")
        }
    }

    func run() throws {
        if self.dryRun {
            let estimate = try Estimate.parse([self.job, "--config", self.spoolOptions.config])
            return try estimate.run()
        }
        let layout = try self.spoolOptions.layout()
        do {
            let id = try JobSubmitter.submit(path: self.job, layout: layout, id: self.id, maxPaidLookups: self.maxPaid)
            Console.print(id)
        } catch let error as JobError {
            throw CommandFailure(.invalidJob, error.description)
        } catch let failure as JobSubmitter.Failure {
            throw CommandFailure(failure.kind == .spool ? .cannotWrite : .invalidJob, failure.description)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a job as the daemon would without sending anything: descriptor, connection and consent, files, columns, every row, duplicate ids, contacts.",
        discussion: """
            The connection, its consent and the input roots come from the daemon's configuration (--config); \
            when the default one does not exist they are not checked (and absolute paths are refused). \
            Exit status 65 when the daemon would fail the job, 78 when the configuration is invalid.
            """)

    @Argument(help: "job.json or a bundle directory containing job.json", completion: .file(extensions: ["json"]))
    var job: String

    @Option(name: .long, help: "The daemon's configuration file.", completion: .file(extensions: ["json"]))
    var config: String?

    func run() throws {
        let path = self.config ?? DaemonConfiguration.defaultPath
        var configuration: DaemonConfiguration?
        if self.config != nil || FileManager.default.fileExists(atPath: path) {
            do {
                configuration = try DaemonConfiguration.load(path: path)
            } catch {
                throw CommandFailure(.configuration, error.description)
            }
        }
        do {
            let report = try JobValidator.validate(descriptorPath: self.job, configuration: configuration)
            var line = "\(self.job): valid — \(report.rows) rows, \(report.inScope) in scope, "
                + "\(report.invalidRows) without a company name"
            if report.descriptor.contacts != nil { line += ", \(report.contacts) contacts to look up" }
            Console.print(line + "; \(report.distinctLookups) distinct lookups")
            for warning in report.warnings { Console.print("warning: \(TerminalText.escaped(warning))") }
            if configuration == nil {
                Console.print("(no configuration at \(path): connection \"\(report.descriptor.connection)\" and its consent not checked)")
            }
        } catch {
            throw CommandFailure(.invalidJob, error.description)
        }
    }
}
