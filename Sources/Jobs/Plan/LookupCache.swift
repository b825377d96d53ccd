import CSQLite
import Formats
import Foundation

/// The persistent lookup cache (SQLite at `cache.path`): answers keyed by match key, fresh for
/// `matchFreshnessDays` (found) or `missFreshnessDays` (not found). A rerun inside the window pays nothing.
///
/// `@unchecked Sendable`: the one SQLite connection is used only under `lock`.
public final class LookupCache: @unchecked Sendable {
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
    private let lock = NSLock()
    private var database: OpaquePointer?
    /// The lookup statement, prepared once (a warm job asks for every distinct key of its file).
    private var select: OpaquePointer?
    /// The statement of ``companyKeys(named:now:limit:)``, prepared once.
    private var selectNamed: OpaquePointer?

    public init(path: String, matchFreshnessDays: Int, missFreshnessDays: Int, readOnly: Bool = false) throws {
        self.path = path
        self.matchFreshness = TimeInterval(matchFreshnessDays) * 86_400
        self.missFreshness = TimeInterval(missFreshnessDays) * 86_400
        if !readOnly {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
        }
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let previous = umask(0o027)
        let result = sqlite3_open_v2(path, &self.database, flags | SQLITE_OPEN_FULLMUTEX, nil)
        umask(previous)
        guard result == SQLITE_OK else {
            let message = self.database.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(result)"
            sqlite3_close(self.database)
            self.database = nil  // deinit runs for this half-made object too: no second close
            throw Failure(description: "cannot open the lookup cache \(path): \(message)")
        }
        sqlite3_busy_timeout(self.database, 5000)
        if !readOnly {
            try self.execute("PRAGMA journal_mode=WAL")
            try self.execute("PRAGMA synchronous=NORMAL")
            try self.execute("""
                CREATE TABLE IF NOT EXISTS lookups(
                    key TEXT PRIMARY KEY, status TEXT NOT NULL, answer TEXT NOT NULL, stored_at REAL NOT NULL)
                """)
        }
    }

    deinit {
        sqlite3_finalize(self.select)
        sqlite3_finalize(self.selectNamed)
        sqlite3_close(self.database)
    }

    private func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(self.database, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw Failure(description: "lookup cache: \(message)")
        }
    }

    private func prepare(_ sql: String) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(self.database, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
        return statement
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A fresh answer for the key, marked as served from the cache.
    public func lookup(_ key: String, now: Date = Date()) -> CompanyAnswer? {
        guard let json = self.lookupJSON(key, now: now), var answer = CompanyAnswer(json: json) else { return nil }
        answer.source = "cache"
        return answer
    }

    /// A fresh answer for the key as stored: compact JSON of a ``CompanyAnswer`` (its source still "lookup").
    public func lookupJSON(_ key: String, now: Date = Date()) -> [UInt8]? {
        self.lock.withLock {
            if self.select == nil {
                self.select = self.prepare("SELECT status, answer, stored_at FROM lookups WHERE key = ?1")
            }
            guard let statement = self.select else { return nil }
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            sqlite3_bind_text(statement, 1, key, -1, Self.transient)
            guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
            let status = String(cString: sqlite3_column_text(statement, 0))
            let storedAt = sqlite3_column_double(statement, 2)
            let freshness = status == CompanyAnswer.Status.enriched.rawValue ? self.matchFreshness : self.missFreshness
            guard now.timeIntervalSince1970 - storedAt <= freshness,
                let text = sqlite3_column_blob(statement, 1)
            else { return nil }
            return Array(UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, 1))))
        }
    }

    /// The keys of fresh answers for company keys with this name key (`name|…|…`): the candidates of the
    /// matching rule across jobs (an incomplete key joins the one fuller key it is compatible with).
    public func companyKeys(named name: String, now: Date = Date(), limit: Int = 64) -> [String] {
        guard !name.isEmpty else { return [] }
        return self.lock.withLock {
            // Keys sort bytewise (BINARY collation): "name|" ..< "name}" are exactly the keys with this name part.
            if self.selectNamed == nil {
                self.selectNamed = self.prepare(
                    "SELECT key, status, stored_at FROM lookups WHERE key >= ?1 AND key < ?2 LIMIT ?3")
            }
            guard let statement = self.selectNamed else { return [] }
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            sqlite3_bind_text(statement, 1, name + "|", -1, Self.transient)
            sqlite3_bind_text(statement, 2, name + "}", -1, Self.transient)
            sqlite3_bind_int(statement, 3, Int32(limit))
            var keys: [String] = []
            while sqlite3_step(statement) == SQLITE_ROW {
                // Fresh only, as lookupJSON judges it.
                let status = String(cString: sqlite3_column_text(statement, 1))
                let freshness = status == CompanyAnswer.Status.enriched.rawValue ? self.matchFreshness : self.missFreshness
                guard now.timeIntervalSince1970 - sqlite3_column_double(statement, 2) <= freshness else { continue }
                keys.append(String(cString: sqlite3_column_text(statement, 0)))
            }
            return keys
        }
    }

    /// Stores a looked-up answer (hits and misses; never invalid input or errors, which are not facts).
    public func store(_ key: String, _ answer: CompanyAnswer, now: Date = Date()) {
        self.store([(key, answer)], now: now)
    }

    /// Stores answers in one transaction (one commit for a bulk call's worth of answers).
    public func store(_ answers: [(key: String, answer: CompanyAnswer)], now: Date = Date()) {
        let facts = answers.filter { $0.answer.status == .enriched || $0.answer.status == .notEnriched }
        guard !facts.isEmpty else { return }
        self.lock.withLock {
            let transaction = facts.count > 1 && sqlite3_exec(self.database, "BEGIN", nil, nil, nil) == SQLITE_OK
            for (key, answer) in facts { self.insert(key, answer, now: now) }
            if transaction { sqlite3_exec(self.database, "COMMIT", nil, nil, nil) }
        }
    }

    /// Inserts one answer; under `lock`.
    private func insert(_ key: String, _ answer: CompanyAnswer, now: Date) {
        let data = answer.jsonBytes
        do {
            guard let statement = self.prepare(
                "INSERT OR REPLACE INTO lookups(key, status, answer, stored_at) VALUES (?1, ?2, ?3, ?4)")
            else { return }
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_text(statement, 1, key, -1, Self.transient)
            sqlite3_bind_text(statement, 2, answer.status.rawValue, -1, Self.transient)
            sqlite3_bind_text(statement, 3, String(decoding: data, as: UTF8.self), -1, Self.transient)
            sqlite3_bind_double(statement, 4, now.timeIntervalSince1970)
            _ = sqlite3_step(statement)
        }
    }

    public func statistics(now: Date = Date()) -> Statistics {
        self.lock.withLock {
            var result = Statistics(entries: 0, matches: 0, misses: 0, freshMatches: 0, freshMisses: 0, path: self.path)
            let sql = """
                SELECT count(*), sum(status = 'Enriched'), sum(status != 'Enriched'),
                       sum(status = 'Enriched' AND stored_at >= ?1), sum(status != 'Enriched' AND stored_at >= ?2),
                       min(stored_at), max(stored_at) FROM lookups
                """
            guard let statement = self.prepare(sql) else { return result }
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_double(statement, 1, now.timeIntervalSince1970 - self.matchFreshness)
            sqlite3_bind_double(statement, 2, now.timeIntervalSince1970 - self.missFreshness)
            guard sqlite3_step(statement) == SQLITE_ROW else { return result }
            result.entries = Int(sqlite3_column_int64(statement, 0))
            result.matches = Int(sqlite3_column_int64(statement, 1))
            result.misses = Int(sqlite3_column_int64(statement, 2))
            result.freshMatches = Int(sqlite3_column_int64(statement, 3))
            result.freshMisses = Int(sqlite3_column_int64(statement, 4))
            if result.entries > 0 {
                let iso = { (seconds: Double) in Timestamp.iso(Date(timeIntervalSince1970: seconds)) }
                result.oldest = iso(sqlite3_column_double(statement, 5))
                result.newest = iso(sqlite3_column_double(statement, 6))
            }
            return result
        }
    }

    /// Removes entries stored more than `age` seconds ago (all of them when `nil`); returns how many.
    public func purge(olderThan age: TimeInterval?, now: Date = Date()) -> Int {
        self.lock.withLock {
            guard let statement = self.prepare("DELETE FROM lookups WHERE stored_at < ?1") else { return 0 }
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_double(statement, 1, age.map { now.timeIntervalSince1970 - $0 } ?? .infinity)
            _ = sqlite3_step(statement)
            return Int(sqlite3_changes(self.database))
        }
    }
}
