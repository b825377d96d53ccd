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
        subcommands: [Submit.self, Validate.self, List.self, Status.self, Wait.self, Report.self, Show.self, Cancel.self, Retry.self, Estimate.self, Cache.self, Connection.self]
    )
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
            throw ValidationError("\(error.description)\n(or pass --spool DIR)")
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

    func run() throws {
        if self.dryRun {
            let estimate = try Estimate.parse([self.job, "--config", self.spoolOptions.config])
            return try estimate.run()
        }
        let layout = try self.spoolOptions.layout()
        do {
            let id = try JobSubmitter.submit(path: self.job, layout: layout, id: self.id)
            print(id)
        } catch let error as JobError {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(65)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a job as the daemon would without sending anything: descriptor, connection and consent, files, columns, every row, duplicate ids, contacts.",
        discussion: """
            The connection, its consent and the input roots come from the daemon's configuration (--config); \
            when the default one does not exist they are not checked (and absolute paths are refused). \
            Exit status 65 when the daemon would fail the job.
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
                throw ValidationError("\(error.description)")
            }
        }
        do {
            let report = try JobValidator.validate(descriptorPath: self.job, configuration: configuration)
            var line = "\(self.job): valid — \(report.rows) rows, \(report.inScope) in scope, "
                + "\(report.invalidRows) without a company name"
            if report.descriptor.contacts != nil { line += ", \(report.contacts) contacts to look up" }
            print(line + "; \(report.distinctLookups) distinct lookups")
            for warning in report.warnings { print("warning: \(TerminalText.escaped(warning))") }
            if configuration == nil {
                print("(no configuration at \(path): connection \"\(report.descriptor.connection)\" and its consent not checked)")
            }
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(65)
        }
    }
}
