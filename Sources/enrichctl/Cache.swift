import ArgumentParser
import Formats
import Jobs
import Foundation

struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect or purge the persistent lookup cache.", subcommands: [Stats.self, Purge.self])

    static func open(_ options: SpoolOptions, readOnly: Bool) throws -> LookupCache {
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(path: options.config)
        } catch {
            throw CommandFailure(.configuration, error.description)
        }
        guard configuration.cacheEnabled else { throw CommandFailure(.configuration, "\(options.config) configures no cache") }
        return try LookupCache(path: configuration.cache.path, matchFreshnessDays: configuration.cache.matchFreshnessDays,
                               missFreshnessDays: configuration.cache.missFreshnessDays, readOnly: readOnly)
    }

    struct Stats: ParsableCommand, JSONOutputCommand {
        static let configuration = CommandConfiguration(abstract: "Entries, matches and misses, fresh and stale.")

        @OptionGroup var spoolOptions: SpoolOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() throws {
            let statistics = try Cache.open(self.spoolOptions, readOnly: true).statistics()
            if self.json { return try printJSON(statistics) }
            Console.print("\(statistics.path): \(statistics.entries) entries — \(statistics.matches) matches "
                + "(\(statistics.freshMatches) fresh), \(statistics.misses) misses (\(statistics.freshMisses) fresh)")
            if let oldest = statistics.oldest, let newest = statistics.newest { Console.print("stored \(oldest) … \(newest)") }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove cache entries (all, or older than D days).")

        @OptionGroup var spoolOptions: SpoolOptions

        @Option(name: .long, help: "Only entries stored more than this many days ago.")
        var olderThan: Double?

        func run() throws {
            let removed = try Cache.open(self.spoolOptions, readOnly: false).purge(olderThan: self.olderThan.map { $0 * 86_400 })
            Console.print("removed \(removed) entries")
        }
    }
}

struct Estimate: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview a job's cost before any credit is spent: rows, distinct lookups, cache hits, lookups to pay.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "job.json or a bundle directory containing job.json", completion: .file(extensions: ["json"]))
    var job: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: ArgumentHelp(
        "Print one line per in-scope row and address kind: customer id, address kind and the key of the lookup it shares, tab-separated.",
        discussion: "Rows with the same key share one paid lookup. A row without a lookup has an empty key and its reason (\"placeholder name\", \"invalid input: companyName empty\") in a fourth column."))
    var keys = false

    func run() throws {
        let configuration = try? DaemonConfiguration.load(path: self.spoolOptions.config)
        let cache = configuration.flatMap { configuration in
            configuration.cacheEnabled
                ? try? LookupCache(path: configuration.cache.path,
                                   matchFreshnessDays: configuration.cache.matchFreshnessDays,
                                   missFreshnessDays: configuration.cache.missFreshnessDays, readOnly: true)
                : nil
        }
        do {
            if self.keys {
                var out = TabSeparatedOutput()
                _ = try JobEstimator.estimate(descriptorPath: self.job, inputRoots: configuration?.inputRoots ?? [],
                                              cache: cache) { id, kind, key, reason in
                    out.line([id, kind.rawValue, key ?? ""] + (key == nil ? [reason ?? ""] : []))
                }
                out.flush()
                return
            }
            let estimate = try JobEstimator.estimate(descriptorPath: self.job,
                                                     inputRoots: configuration?.inputRoots ?? [], cache: cache)
            if self.json { return try printJSON(estimate) }
            Console.print("\(estimate.rows) rows, \(estimate.inScope) in scope, \(estimate.invalidInput) without a company name"
                + (estimate.placeholders > 0 ? " (\(estimate.placeholders) of them placeholders such as N/A)" : ""))
            var byRule: [String] = []
            if estimate.savedByIncompleteTwins > 0 {
                byRule.append("\(estimate.savedByIncompleteTwins) by rows without a website or country joining their fuller twin")
            }
            if estimate.savedByPlaceAfterLegalForm > 0 {
                byRule.append("\(estimate.savedByPlaceAfterLegalForm) by names ending in a legal form and their city")
            }
            if estimate.savedByNearDuplicates > 0 {
                byRule.append("\(estimate.savedByNearDuplicates) by near-duplicate spellings")
            }
            Console.print("\(estimate.distinctKeys) distinct lookups (\(estimate.savedByDedup) saved by dedup"
                + (byRule.isEmpty ? "" : ", of them " + byRule.joined(separator: ", ")) + "), "
                + "\(estimate.cacheHits) in the cache: \(estimate.lookupsToPay) lookups would be paid")
            for warning in estimate.warnings { Console.print("warning: \(TerminalText.escaped(warning))") }
        } catch let error as JobError {
            throw CommandFailure(.invalidJob, error.description)
        }
    }
}

/// Tab-separated lines on standard output, buffered; every value (which comes from a submitter's file) goes
/// through ``TerminalText/escaped(_:)``, so it stays on its line and nothing reaches the terminal raw.
struct TabSeparatedOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ values: [String]) {
        self.buffer.append(contentsOf: Array(values.map(TerminalText.escaped).joined(separator: "\t").utf8))
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= 1 << 16 { self.flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(self.buffer))
        self.buffer.removeAll(keepingCapacity: true)
    }
}
