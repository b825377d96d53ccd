import Foundation
import Testing

@testable import Jobs

/// The persistent lookup cache: what it keeps, for how long, and the file it keeps it in.
struct LookupCacheTests {
    /// A cache file in a directory of its own, removed after the test.
    struct Scratch: ~Copyable {
        let directory: String
        var path: String { self.directory + "/state/cache.sqlite" }

        init() {
            self.directory = NSTemporaryDirectory() + "lookup-cache-\(UUID().uuidString)"
        }

        deinit {
            try? FileManager.default.removeItem(atPath: self.directory)
        }

        func open(readOnly: Bool = false) throws -> LookupCache {
            try LookupCache(path: self.path, matchFreshnessDays: 30, missFreshnessDays: 7, readOnly: readOnly)
        }
    }

    static let day: TimeInterval = 86_400
    static let stored = Date(timeIntervalSince1970: 1_790_000_000)

    static func answer(_ status: CompanyAnswer.Status, name: String = "Acme") -> CompanyAnswer {
        var company = CompanyFields()
        company.companyName = name
        company.website = "acme.com"
        return CompanyAnswer(status: status, confidence: status == .enriched ? "High" : nil,
                             company: status == .enriched ? company : nil,
                             reason: status == .enriched ? nil : "no match", answeredAt: "2026-09-21T12:00:00.000Z")
    }

    @Test func factsAreStoredAndServedFromTheCache() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store([("acme|acme.com|us", Self.answer(.enriched)), ("nobody|nobody.io|us", Self.answer(.notEnriched))],
                    now: Self.stored)
        #expect(cache.lookupJSON("acme|acme.com|us", now: Self.stored) == Self.answer(.enriched).jsonBytes)
        var expected = Self.answer(.notEnriched)
        expected.source = "cache"
        #expect(cache.lookup("nobody|nobody.io|us", now: Self.stored) == expected)
        #expect(cache.lookupJSON("unknown|x.com|us", now: Self.stored) == nil)
    }

    @Test func manyKeysAreLookedUpInOneVisitWithTheSameFreshness() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store([("a|a.com|us", Self.answer(.enriched)), ("b|b.com|us", Self.answer(.notEnriched))], now: Self.stored)
        // Eight days on: the match is fresh (30 days), the miss is not (7 days).
        let later = Self.stored.addingTimeInterval(8 * Self.day)
        var found: [String] = []
        cache.lookupJSON(["b|b.com|us", "unknown|x.com|us", "a|a.com|us"], now: later) { key, json in
            #expect(json == cache.lookupJSON(key, now: later))
            found.append(key)
        }
        #expect(found == ["a|a.com|us"])
        found = []
        cache.lookupJSON(["b|b.com|us", "a|a.com|us"], now: Self.stored) { key, _ in found.append(key) }
        #expect(found == ["b|b.com|us", "a|a.com|us"], "in the order asked")
    }

    /// A key whose answer went stale is told apart from one the cache never saw: a refresh's paid lookups are
    /// split into the two.
    @Test func staleAnswersAreToldApartFromUnknownKeys() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store([("a|a.com|us", Self.answer(.enriched)), ("b|b.com|us", Self.answer(.notEnriched))], now: Self.stored)
        var stale: [String] = [], fresh: [String] = []
        cache.lookupJSON(["b|b.com|us", "unknown|x.com|us", "a|a.com|us"], now: Self.stored.addingTimeInterval(8 * Self.day),
                         stale: { stale.append($0) }) { key, _ in fresh.append(key) }
        #expect(stale == ["b|b.com|us"] && fresh == ["a|a.com|us"])
        stale = []
        cache.lookupJSON(["a|a.com|us", "b|b.com|us"], now: Self.stored.addingTimeInterval(31 * Self.day),
                         stale: { stale.append($0) }) { _, _ in Issue.record("nothing is fresh after 31 days") }
        #expect(stale == ["a|a.com|us", "b|b.com|us"])
    }

    /// The ledger remembers which paid answers replaced a stale one, so the split survives a restart (the cache
    /// holds the new answer by then).
    @Test func theLedgerKeepsWhichAnswersReplacedStaleOnes() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.directory, withIntermediateDirectories: true)
        let path = scratch.directory + "/answers.jsonl"
        do {
            let ledger = try JobLedger(path: path)
            try ledger.append(key: "a|a.com|us", answer: Self.answer(.enriched), replacedStale: true)
            try ledger.append(key: "b|b.com|us", answer: Self.answer(.notEnriched))
            try ledger.append(key: "c|c.com|us", answerJSON: Self.answer(.enriched).jsonBytes, fromCache: true)
            try ledger.sync()
        }
        let recorded = JobLedger.load(path: path)
        #expect(recorded.refreshedStale == ["a|a.com|us"])
        #expect(recorded.answers.count == 3 && recorded.answers["c|c.com|us"]?.source == "cache")
        var lookups = ResultSummary.Lookups()
        lookups.settle(answers: ["a|a.com|us", "b|b.com|us", "c|c.com|us"].map { recorded.answers[$0] })
        lookups.split(paidStale: recorded.refreshedStale.count)
        #expect(lookups.paid == 2 && lookups.paidStale == 1 && lookups.paidNew == 1)
    }

    @Test(arguments: [CompanyAnswer.Status.invalidInput, .error])
    func answersThatAreNotFactsAreNotStored(status: CompanyAnswer.Status) throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store("acme|acme.com|us", Self.answer(status), now: Self.stored)
        #expect(cache.lookupJSON("acme|acme.com|us", now: Self.stored) == nil)
        #expect(cache.statistics(now: Self.stored).entries == 0)
    }

    @Test func aNewerAnswerReplacesTheOlder() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store("acme|acme.com|us", Self.answer(.notEnriched), now: Self.stored)
        cache.store("acme|acme.com|us", Self.answer(.enriched, name: "Acme Corp"), now: Self.stored + 1)
        #expect(cache.lookupJSON("acme|acme.com|us", now: Self.stored + 1)
            == Self.answer(.enriched, name: "Acme Corp").jsonBytes)
        #expect(cache.statistics(now: Self.stored + 1).entries == 1)
    }

    /// Matches stay fresh for matchFreshnessDays (30), misses for missFreshnessDays (7), both inclusive.
    @Test(arguments: [
        (CompanyAnswer.Status.enriched, 30.0, true), (.enriched, 30.001, false), (.enriched, 8, true),
        (.notEnriched, 7, true), (.notEnriched, 7.001, false), (.notEnriched, 0, true),
    ])
    func freshnessDependsOnWhetherLeadspaceFoundTheCompany(status: CompanyAnswer.Status, age: Double, fresh: Bool)
        throws
    {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store("acme|acme.com|us", Self.answer(status), now: Self.stored)
        let later = Self.stored + age * Self.day
        #expect((cache.lookupJSON("acme|acme.com|us", now: later) != nil) == fresh, "\(status) after \(age) days")
        #expect(cache.companyKeys(named: "acme", now: later) == (fresh ? ["acme|acme.com|us"] : []))
    }

    @Test func companyKeysAreTheFreshKeysWithExactlyThatName() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store([
            ("acme|acme.com|us", Self.answer(.enriched)), ("acme||de", Self.answer(.notEnriched)),
            ("acme corp|acme.com|us", Self.answer(.enriched)), ("acmes|acmes.com|", Self.answer(.enriched)),
            ("acm|acm.org|us", Self.answer(.enriched)), ("acme}|x|", Self.answer(.enriched)),
        ], now: Self.stored)
        cache.store("acme|acme.fr|fr", Self.answer(.notEnriched), now: Self.stored - 8 * Self.day)
        // In key order, bytewise ("a" < "|").
        #expect(cache.companyKeys(named: "acme", now: Self.stored) == ["acme|acme.com|us", "acme||de"])
        #expect(cache.companyKeys(named: "acme", now: Self.stored, limit: 1) == ["acme|acme.com|us"])
        #expect(cache.companyKeys(named: "", now: Self.stored) == [])
        #expect(cache.companyKeys(named: "globex", now: Self.stored) == [])
    }

    @Test func statisticsCountMatchesMissesAndTheirFreshness() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        #expect(cache.statistics(now: Self.stored).entries == 0)
        #expect(cache.statistics(now: Self.stored).oldest == nil)
        cache.store("a|a.com|", Self.answer(.enriched), now: Self.stored - 40 * Self.day)
        cache.store("b|b.com|", Self.answer(.enriched), now: Self.stored - 10 * Self.day)
        cache.store("c|c.com|", Self.answer(.notEnriched), now: Self.stored - 10 * Self.day)
        cache.store("d|d.com|", Self.answer(.notEnriched), now: Self.stored)
        let statistics = cache.statistics(now: Self.stored)
        #expect(statistics.entries == 4)
        #expect(statistics.matches == 2)
        #expect(statistics.misses == 2)
        #expect(statistics.freshMatches == 1)
        #expect(statistics.freshMisses == 1)
        #expect(statistics.oldest == Timestamp.iso(Self.stored - 40 * Self.day))
        #expect(statistics.newest == Timestamp.iso(Self.stored))
        #expect(statistics.path == scratch.path)
    }

    @Test func purgeRemovesOldEntriesOrAll() throws {
        let scratch = Scratch()
        let cache = try scratch.open()
        cache.store("a|a.com|", Self.answer(.enriched), now: Self.stored - 20 * Self.day)
        cache.store("b|b.com|", Self.answer(.enriched), now: Self.stored - 5 * Self.day)
        cache.store("c|c.com|", Self.answer(.notEnriched), now: Self.stored)
        #expect(cache.purge(olderThan: 10 * Self.day, now: Self.stored) == 1)
        #expect(cache.lookupJSON("a|a.com|", now: Self.stored - 20 * Self.day) == nil)
        #expect(cache.lookupJSON("b|b.com|", now: Self.stored) != nil)
        #expect(cache.purge(olderThan: nil, now: Self.stored) == 2)
        #expect(cache.statistics(now: Self.stored).entries == 0)
    }

    /// The file outlives the process; the service's group may read it, nobody else (umask 027); WAL lets
    /// `enrichctl cache stats` read while the daemon writes.
    @Test func theCacheIsAPrivateWALFileThatOutlivesItsOpener() throws {
        let scratch = Scratch()
        do {
            let cache = try scratch.open()
            cache.store("acme|acme.com|us", Self.answer(.enriched), now: Self.stored)
            #expect(FileManager.default.fileExists(atPath: scratch.path + "-wal"))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path)
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & 0o027 == 0, "mode \(String(mode, radix: 8))")
        let reopened = try scratch.open(readOnly: true)
        #expect(reopened.lookupJSON("acme|acme.com|us", now: Self.stored) == Self.answer(.enriched).jsonBytes)
        #expect(reopened.statistics(now: Self.stored).entries == 1)
    }

    @Test func aReadOnlyOpenCreatesNothingAndWritesNothing() throws {
        let scratch = Scratch()
        #expect(throws: LookupCache.Failure.self) { try scratch.open(readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        _ = try scratch.open()
        let readOnly = try scratch.open(readOnly: true)
        readOnly.store("acme|acme.com|us", Self.answer(.enriched), now: Self.stored)
        #expect(readOnly.lookupJSON("acme|acme.com|us", now: Self.stored) == nil)
        #expect(try scratch.open().statistics(now: Self.stored).entries == 0)
    }

    @Test func anOldFileWithTheSameSchemaIsRead() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.directory + "/state", withIntermediateDirectories: true)
        // A cache file as another SQLite client writes it: the table every version of enrichd has created.
        let json = String(decoding: Self.answer(.enriched).jsonBytes, as: UTF8.self)
            .replacingOccurrences(of: "'", with: "''")
        let sql = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE lookups(
                key TEXT PRIMARY KEY, status TEXT NOT NULL, answer TEXT NOT NULL, stored_at REAL NOT NULL);
            INSERT INTO lookups
                VALUES ('acme|acme.com|us', 'Enriched', '\(json)', \(Self.stored.timeIntervalSince1970));
            """
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, scratch.path, sql]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3's sqlite3 wrote the file")
        let cache = try scratch.open(readOnly: true)
        #expect(cache.lookupJSON("acme|acme.com|us", now: Self.stored) == Self.answer(.enriched).jsonBytes)
    }
}
