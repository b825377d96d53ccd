import ArgumentParser
import Formats
import Foundation
import Jobs
import Spool

/// `enrichctl enrichment …`: saved enrichments, refreshed by hand (`run`) or on their schedule.
struct Enrichment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Saved enrichments: a job definition kept in the spool, run again on each refresh.",
        discussion: """
            A definition is a job descriptor whose data files are absolute paths under the configuration's \
            inputRoots (each refresh re-reads the latest export), plus "active" (default true) and "schedule" \
            ({"days": "daily" | ["mon", "thu"], "times": ["06:00"], "timeZone": "Europe/Paris"}, at most four \
            times a day). A successful run's outputs become enrichments/NAME/current (a link swapped by rename); \
            every run adds a line to enrichments/NAME/history.jsonl. The daemon refreshes an active \
            enrichment on its schedule (a refresh missed while it was down runs once at start; one that comes \
            due while the previous run is queued or active is skipped and recorded); changes take effect at once.
            """,
        subcommands: [Create.self, Edit.self, Delete.self, Activate.self, Deactivate.self, Run.self, ShowOne.self,
                      History.self])

    /// The spool options and the enrichment's name, which every subcommand but create takes.
    struct Target: ParsableArguments {
        @OptionGroup var spoolOptions: SpoolOptions
        @Argument(help: "The enrichment's name.") var name: String
    }

    /// The store, and the input roots to check data files against (nil without a configuration).
    static func open(_ options: SpoolOptions) throws -> (EnrichmentStore, [String]?) {
        let layout = try options.layout()
        let roots = (try? DaemonConfiguration.load(path: options.config))?.inputRoots
        return (EnrichmentStore(layout: layout), roots)
    }

    /// Runs `body` with the store, the validated name and the input roots; a store failure becomes the
    /// command's, with its exit status.
    static func perform(_ target: Target, _ body: (EnrichmentStore, EnrichmentName, [String]?) throws -> Void) throws {
        let name = try Self.name(target.name)
        let (store, roots) = try Self.open(target.spoolOptions)
        do {
            try body(store, name, roots)
        } catch {
            throw Self.fail(error)
        }
    }

    static func name(_ text: String) throws -> EnrichmentName {
        do {
            return try EnrichmentName(validating: text)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// A store's failure as the command's (its exit status); anything else as it is.
    static func fail(_ error: any Error) -> any Error {
        guard let failure = error as? EnrichmentStore.Failure else { return error }
        return switch failure.kind {
        case .invalid: CommandFailure(.invalidJob, failure.description)
        case .exists: CommandFailure(.notNow, failure.description)
        case .noSuchEnrichment: CommandFailure(.noSuchJob, failure.description)
        case .spool: CommandFailure(.cannotWrite, failure.description)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save an enrichment from a definition file, checked as a job is; nothing is saved when it is invalid.")
        @OptionGroup var spoolOptions: SpoolOptions
        @Argument(help: "The definition (enrichment.json).", completion: .file(extensions: ["json"]))
        var file: String
        @Option(name: .long, help: "Its name (default: the file's name without .json).")
        var name: String?

        func run() throws {
            let name = try Enrichment.name(self.name ?? ((self.file as NSString).lastPathComponent as NSString).deletingPathExtension)
            let (store, roots) = try Enrichment.open(self.spoolOptions)
            do {
                let definition = try store.create(name, definitionPath: self.file, inputRoots: roots)
                Console.print("created \(name)" + (definition.schedule.map { ": refreshed \($0)" } ?? ": refreshed when run")
                    + (definition.isActive ? "" : " (inactive)"))
            } catch {
                throw Enrichment.fail(error)
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace a saved enrichment's definition (its outputs and history stay).")
        @OptionGroup var target: Target
        @Argument(help: "The new definition.", completion: .file(extensions: ["json"])) var file: String

        func run() throws {
            try Enrichment.perform(self.target) { store, name, roots in
                try store.edit(name, definitionPath: self.file, inputRoots: roots)
                Console.print("updated \(name)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a saved enrichment, its current outputs and history (its runs' jobs stay).")
        @OptionGroup var target: Target

        func run() throws {
            try Enrichment.perform(self.target) { store, name, _ in
                try store.delete(name)
                Console.print("deleted \(name)")
            }
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the daemon refresh it on its schedule.")
        @OptionGroup var target: Target

        func run() throws { try Enrichment.setActive(self.target, true) }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the schedule's refreshes (run still works).")
        @OptionGroup var target: Target

        func run() throws { try Enrichment.setActive(self.target, false) }
    }

    static func setActive(_ target: Target, _ active: Bool) throws {
        try Self.perform(target) { store, name, _ in
            try store.setActive(name, active)
            Console.print("\(name) is \(active ? "active" : "inactive")")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refresh it now: queue a run (an ordinary job); prints its job id.")
        @OptionGroup var target: Target

        func run() throws {
            try Enrichment.perform(self.target) { store, name, _ in Console.print(try store.run(name)) }
        }
    }

    struct ShowOne: ParsableCommand, JSONOutputCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One enrichment: state, status, schedule, last refresh, next refresh.")
        @OptionGroup var target: Target
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            try Enrichment.perform(self.target) { store, name, _ in
                let summary = try EnrichmentSummary(name: name, store: store)
                if self.json { return try printJSON(summary) }
                Console.print("\(summary.name): \(summary.active ? "active" : "inactive"), \(summary.status)")
                Console.print("  connection  \(summary.connection)")
                Console.print("  schedule    \(summary.schedule ?? "none (refreshed when run)")")
                if let enriched = summary.enrichedProfiles, let profiles = summary.profiles {
                    Console.print("  enriched    \(NumberText.grouped(enriched)) of \(NumberText.grouped(profiles))")
                }
                Console.print("  refreshed   " + (summary.refreshedAt.map { "\($0) (\(NumberText.age(seconds: summary.refreshedAgoSeconds ?? 0)) ago)" } ?? "never"))
                Console.print("  next        \(summary.nextRefreshAt ?? "—")")
                if let run = summary.pendingRun { Console.print("  run         \(run)") }
            }
        }
    }

    struct History: ParsableCommand, JSONOutputCommand {
        static let configuration = CommandConfiguration(abstract: "Its runs and skipped refreshes, oldest first.")
        @OptionGroup var target: Target
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            try Enrichment.perform(self.target) { store, name, _ in
                let entries = try store.history(name)
                if self.json { return try printJSON(entries) }
                Console.print("FINISHED                  STATUS                   ENRICHED        PAID   CACHED  RUN")
                for entry in entries {
                    let enriched = entry.enrichedProfiles.map { e in "\(NumberText.grouped(e)) of \(NumberText.grouped(entry.inScope ?? 0))" } ?? ""
                    Console.print(Console.cell(entry.finishedAt ?? entry.dueAt ?? "", width: 24) + "  "
                        + Console.cell(entry.status, width: 23) + "  " + Console.cell(enriched, width: 14) + "  "
                        + Console.cell(entry.paid.map(NumberText.grouped) ?? "", width: 5) + "  "
                        + Console.cell(entry.cacheHits.map(NumberText.grouped) ?? "", width: 6) + "  " + (entry.jobId ?? entry.reason ?? ""))
                }
            }
        }
    }
}

/// `enrichctl enrichments`: "My enrichments".
struct Enrichments: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "My enrichments: name, state, status, connection, enriched N of M, last and next refresh.")
    @OptionGroup var spoolOptions: SpoolOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        let store = EnrichmentStore(layout: try self.spoolOptions.layout())
        let now = Date()
        let summaries = store.names().compactMap { try? EnrichmentSummary(name: $0, store: store, now: now) }
        if self.json { return try printJSON(summaries) }
        guard !summaries.isEmpty else { return Console.print("no saved enrichments (enrichctl enrichment create FILE)") }
        let width = Console.width
        Console.print(Console.fit("NAME                  STATE     STATUS                   CONNECTION  ENRICHED          REFRESHED  NEXT", width: width))
        for summary in summaries {
            let enriched = summary.enrichedProfiles.map { "\(NumberText.grouped($0)) of \(NumberText.grouped(summary.profiles ?? 0))" } ?? "—"
            let refreshed = summary.refreshedAgoSeconds.map { NumberText.age(seconds: $0) + " ago" } ?? "never"
            let line = Console.cell(summary.name, width: 20) + "  " + Console.cell(summary.active ? "active" : "inactive", width: 8)
                + "  " + Console.cell(summary.status, width: 23) + "  " + Console.cell(summary.connection, width: 10) + "  "
                + Console.cell(enriched, width: 16) + "  " + Console.cell(refreshed, width: 9) + "  " + (summary.nextRefreshAt ?? "—")
            Console.print(Console.fit(line, width: width))
        }
    }
}
