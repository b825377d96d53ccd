import Foundation
import GRDB

/// The persistent lookup cache (SQLite at `cache.path`): answers keyed by match key, fresh for
/// `matchFreshnessDays` (found) or `missFreshnessDays` (not found). A rerun inside the window pays nothing.
public final class LookupCache: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Statistics: Codable, Sendable {
        public var entries: Int
        public var matches: Int
        public var misses: Int
        public var freshMatches: Int
        public var freshMisses: Int
        public var oldest: String?
        public var newest: String?
        public var path: String
    }

    public let path: String
    private let matchFreshness: TimeInterval
    private let missFreshness: TimeInterval
    /// One connection; the queue serialises the daemon's job queues on it.
    private let database: DatabaseQueue

    public init(path: String, matchFreshnessDays: Int, missFreshnessDays: Int, readOnly: Bool = false) throws {
        self.path = path
        self.matchFreshness = TimeInterval(matchFreshnessDays) * 86_400
        self.missFreshness = TimeInterval(missFreshnessDays) * 86_400
        if !readOnly {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.label = "enrichd.lookup-cache"
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(5)
        // WAL (with synchronous=NORMAL) lets `enrichctl cache stats` read while the daemon writes; a read-only
        // open finds the file in WAL mode already, when the daemon made it.
        configuration.journalMode = readOnly ? .default : .wal
        let previous = umask(0o027)
        do {
            self.database = try DatabaseQueue(path: path, configuration: configuration)
            umask(previous)
        } catch {
            umask(previous)
            throw Failure(description: "cannot open the lookup cache \(path): \(Self.message(error))")
        }
        if !readOnly {
            do {
                try self.database.writeWithoutTransaction { db in
                    try db.execute(sql: """
                        CREATE TABLE IF NOT EXISTS lookups(
                            key TEXT PRIMARY KEY, status TEXT NOT NULL, answer TEXT NOT NULL, stored_at REAL NOT NULL)
                        """)
                }
            } catch {
                throw Failure(description: "lookup cache: \(Self.message(error))")
            }
        }
    }

    /// SQLite's own words for a failure, as `sqlite3_errmsg` gives them.
    private static func message(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }

    /// A fresh answer for the key, marked as served from the cache.
    public func lookup(_ key: String, now: Date = Date()) -> CompanyAnswer? {
        guard let json = self.lookupJSON(key, now: now), var answer = CompanyAnswer(json: json) else { return nil }
        answer.source = "cache"
        return answer
    }

    /// A fresh answer for the key as stored: compact JSON of a ``CompanyAnswer`` (its source still "lookup").
    public func lookupJSON(_ key: String, now: Date = Date()) -> [UInt8]? {
        // Outside a transaction: one SELECT sees one state of the file by itself, and a read transaction per
        // call would add two statements to each of a warm job's ~20,000 lookups.
        try? self.database.unsafeRead { db in
            let statement = try db.cachedStatement(sql: "SELECT status, answer, stored_at FROM lookups WHERE key = ?1")
            // One argument for one parameter: nothing to validate on every call.
            statement.setUncheckedArguments([key])
            let rows = try Row.fetchCursor(statement)
            // The row reads the statement in place, and the cursor resets the statement when it goes.
            return try withExtendedLifetime(rows) {
                guard let row = try rows.next(), self.isFresh(status: row[0], storedAt: row[2], now: now) else {
                    return nil
                }
                return try row.withUnsafeData(atIndex: 1) { data in
                    guard let data, !data.isEmpty else { return nil }
                    return [UInt8](data)
                }
            }
        }
    }

    /// Fresh answers for many keys in one visit to the database (a warm job asks for every distinct key of its
    /// file: one queue hop for all of them instead of one per key, which GRDB's per-call cost made 2.3× the raw
    /// calls' instructions). `body` gets each key that has a fresh answer, with its stored JSON, in `keys` order;
    /// `stale` gets each key whose stored answer is too old to serve (a lookup that will be paid again).
    public func lookupJSON(_ keys: some Sequence<String>, now: Date = Date(), stale: ((String) -> Void)? = nil,
                           _ body: (String, [UInt8]) throws -> Void) rethrows {
        let (found, expired): ([(String, [UInt8])], [String]) = (try? self.database.unsafeRead { db in
            let statement = try db.cachedStatement(sql: "SELECT status, answer, stored_at FROM lookups WHERE key = ?1")
            var found: [(String, [UInt8])] = []
            var expired: [String] = []
            for key in keys {
                statement.setUncheckedArguments([key])
                let rows = try Row.fetchCursor(statement)
                let json: [UInt8]? = try withExtendedLifetime(rows) {
                    guard let row = try rows.next() else { return nil }
                    guard self.isFresh(status: row[0], storedAt: row[2], now: now) else {
                        expired.append(key)
                        return nil
                    }
                    return try row.withUnsafeData(atIndex: 1) { data in
                        guard let data, !data.isEmpty else { return nil }
                        return [UInt8](data)
                    }
                }
                if let json { found.append((key, json)) }
            }
            return (found, expired)
        }) ?? ([], [])
        if let stale { for key in expired { stale(key) } }
        for (key, json) in found { try body(key, json) }
    }

    /// The keys of fresh answers for company keys with this name key (`name|…|…`): the candidates of the
    /// matching rule across jobs (an incomplete key joins the one fuller key it is compatible with).
    public func companyKeys(named name: String, now: Date = Date(), limit: Int = 64) -> [String] {
        guard !name.isEmpty else { return [] }
        return (try? self.database.unsafeRead { db in
            // Keys sort bytewise (BINARY collation): "name|" ..< "name}" are exactly the keys with this name part.
            let statement = try db.cachedStatement(
                sql: "SELECT key, status, stored_at FROM lookups WHERE key >= ?1 AND key < ?2 LIMIT ?3")
            statement.setUncheckedArguments([name + "|", name + "}", limit])
            var keys: [String] = []
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                // Fresh only, as lookupJSON judges it.
                guard self.isFresh(status: row[1], storedAt: row[2], now: now) else { continue }
                keys.append(row[0])
            }
            return keys
        }) ?? []
    }

    private func isFresh(status: String, storedAt: Double, now: Date) -> Bool {
        let freshness = status == CompanyAnswer.Status.enriched.rawValue ? self.matchFreshness : self.missFreshness
        return now.timeIntervalSince1970 - storedAt <= freshness
    }

    /// Stores a looked-up answer (hits and misses; never invalid input or errors, which are not facts).
    public func store(_ key: String, _ answer: CompanyAnswer, now: Date = Date()) {
        self.store([(key, answer)], now: now)
    }

    /// Stores answers in one transaction (one commit for a bulk call's worth of answers).
    public func store(_ answers: [(key: String, answer: CompanyAnswer)], now: Date = Date()) {
        let facts = answers.filter { $0.answer.status == .enriched || $0.answer.status == .notEnriched }
        guard !facts.isEmpty else { return }
        // A cache that cannot be written (read-only, disk full) costs lookups, not the job.
        try? self.database.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO lookups(key, status, answer, stored_at) VALUES (?1, ?2, ?3, ?4)")
            for (key, answer) in facts {
                try? statement.execute(arguments: [key, answer.status.rawValue,
                                                   String(decoding: answer.jsonBytes, as: UTF8.self),
                                                   now.timeIntervalSince1970])
            }
        }
    }

    public func statistics(now: Date = Date()) -> Statistics {
        var result = Statistics(entries: 0, matches: 0, misses: 0, freshMatches: 0, freshMisses: 0, path: self.path)
        let sql = """
            SELECT count(*), sum(status = 'Enriched'), sum(status != 'Enriched'),
                   sum(status = 'Enriched' AND stored_at >= ?1), sum(status != 'Enriched' AND stored_at >= ?2),
                   min(stored_at), max(stored_at) FROM lookups
            """
        let arguments: StatementArguments = [now.timeIntervalSince1970 - self.matchFreshness,
                                             now.timeIntervalSince1970 - self.missFreshness]
        guard let row = try? self.database.read({ try Row.fetchOne($0, sql: sql, arguments: arguments) }) else {
            return result
        }
        // sum() of no rows is NULL: none.
        result.entries = row[0] ?? 0
        result.matches = row[1] ?? 0
        result.misses = row[2] ?? 0
        result.freshMatches = row[3] ?? 0
        result.freshMisses = row[4] ?? 0
        if result.entries > 0, let oldest: Double = row[5], let newest: Double = row[6] {
            result.oldest = Timestamp.iso(Date(timeIntervalSince1970: oldest))
            result.newest = Timestamp.iso(Date(timeIntervalSince1970: newest))
        }
        return result
    }

    /// Removes entries stored more than `age` seconds ago (all of them when `nil`); returns how many.
    public func purge(olderThan age: TimeInterval?, now: Date = Date()) -> Int {
        (try? self.database.write { db in
            try db.execute(sql: "DELETE FROM lookups WHERE stored_at < ?1",
                           arguments: [age.map { now.timeIntervalSince1970 - $0 } ?? .infinity])
            return db.changesCount
        }) ?? 0
    }
}
