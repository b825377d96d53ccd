import ArgumentParser
import EnrichDaemon
import Enrichment
import Foundation

struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect or purge the persistent lookup cache.", subcommands: [Stats.self, Purge.self])

    static func open(_ options: SpoolOptions, readOnly: Bool) throws -> LookupCache {
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(path: options.config)
        } catch {
            throw ValidationError(error.description)
        }
        guard configuration.cacheEnabled else { throw ValidationError("\(options.config) configures no cache") }
        return try LookupCache(path: configuration.cache.path, matchFreshnessDays: configuration.cache.matchFreshnessDays,
                               missFreshnessDays: configuration.cache.missFreshnessDays, readOnly: readOnly)
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries, matches and misses, fresh and stale.")

        @OptionGroup var spoolOptions: SpoolOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() throws {
            let statistics = try Cache.open(self.spoolOptions, readOnly: true).statistics()
            if self.json { return try printJSON(statistics) }
            print("\(statistics.path): \(statistics.entries) entries — \(statistics.matches) matches "
                + "(\(statistics.freshMatches) fresh), \(statistics.misses) misses (\(statistics.freshMisses) fresh)")
            if let oldest = statistics.oldest, let newest = statistics.newest { print("stored \(oldest) … \(newest)") }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove cache entries (all, or older than D days).")

        @OptionGroup var spoolOptions: SpoolOptions

        @Option(name: .long, help: "Only entries stored more than this many days ago.")
        var olderThan: Double?

        func run() throws {
            let removed = try Cache.open(self.spoolOptions, readOnly: false).purge(olderThan: self.olderThan.map { $0 * 86_400 })
            print("removed \(removed) entries")
        }
    }
}

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview a job's cost before any credit is spent: rows, distinct lookups, cache hits, lookups to pay.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "job.json or a bundle directory containing job.json", completion: .file(extensions: ["json"]))
    var job: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

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
            let estimate = try JobEstimator.estimate(descriptorPath: self.job,
                                                     inputRoots: configuration?.inputRoots ?? [], cache: cache)
            if self.json { return try printJSON(estimate) }
            print("\(estimate.rows) rows, \(estimate.inScope) in scope, \(estimate.invalidInput) without a company name")
            print("\(estimate.distinctKeys) distinct lookups (\(estimate.savedByDedup) saved by dedup), "
                + "\(estimate.cacheHits) in the cache: \(estimate.lookupsToPay) lookups would be paid")
        } catch let error as JobError {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(65)
        }
    }
}
