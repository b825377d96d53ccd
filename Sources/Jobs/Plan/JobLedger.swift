import Formats
import Foundation

/// A job's checkpoint: an append-only file of answered lookups (`answers.jsonl`), so a restarted daemon
/// re-sends only lookups whose answers were never recorded.
///
/// Each answer is written with one `write(2)` as soon as it arrives (a killed process loses nothing the kernel
/// has), and fsynced in groups: after 64 answers, but at most every 50 ms (bulk calls deliver thousands a
/// second); the job syncs what is left shortly after (a power loss loses at most that). A torn last line is
/// ignored.
public final class JobLedger {
    public let path: String
    private var descriptor: Int32
    private var unsynced = 0
    private var lastSync: UInt64 = 0
    public static let groupCommitNanoseconds: UInt64 = 50_000_000

    /// Whether answers were written but not fsynced yet.
    public var hasUnsynced: Bool { self.unsynced > 0 }

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.descriptor = fd
    }

    deinit {
        if self.descriptor >= 0 {
            fsync(self.descriptor)
            close(self.descriptor)
        }
    }

    /// What a ledger holds: the answers, and the bulk calls Leadspace accepted (paid) whose results are at `path`.
    public struct Recorded {
        public var answers: [String: CompanyAnswer] = [:]
        public var bulks: [(path: String, keys: [String])] = []
        /// Keys whose lookup was paid because the cache's answer had gone stale (not because it was new).
        public var refreshedStale: Set<String> = []
    }

    /// Everything recorded so far.
    public static func load(path: String) -> Recorded {
        guard let data = FileManager.default.contents(atPath: path) else { return Recorded() }
        var recorded = Recorded()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let node = try? JSONParser.parse(Array(line)), case .object(let members) = node.value else { continue }
            if let bulk = members.first(where: { $0.key == "b" })?.value.stringValue,
                case .array(let keys)? = members.first(where: { $0.key == "keys" })?.value.value
            {
                recorded.bulks.append((bulk, keys.compactMap(\.stringValue)))
                continue
            }
            guard let key = members.first(where: { $0.key == "k" })?.value.stringValue,
                var answer = members.first(where: { $0.key == "a" }).flatMap({ CompanyAnswer(node: $0.value) })
            else { continue }
            if case .bool(true)? = members.first(where: { $0.key == "c" })?.value.value { answer.source = "cache" }
            if case .bool(true)? = members.first(where: { $0.key == "s" })?.value.value {
                recorded.refreshedStale.insert(key)
            }
            recorded.answers[key] = answer
        }
        return recorded
    }

    /// Records a bulk call Leadspace accepted: {"b": polling path, "keys": [match keys]}, fsynced at once (500
    /// paid records hang on it).
    public func appendBulk(path: String, keys: [String]) throws {
        var json = JSONBytes()
        json.object { json in
            json.member("b", path)
            json.member("keys", strings: keys)
        }
        var line = json.bytes
        line.append(UInt8(ascii: "\n"))
        try self.writeLine(line)
        self.unsynced += 1
        try self.sync()
    }

    /// How many answers the ledger holds (complete lines), cheaply, for progress checks.
    public static func count(path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// Appends an answer. `batched`: a free answer (from the cache) that does not need its own fsync — the
    /// caller syncs after the batch.
    /// `replacedStale`: the cache held an answer for the key that had gone stale (a refresh's paid lookup).
    public func append(key: String, answer: CompanyAnswer, replacedStale: Bool = false, batched: Bool = false) throws {
        try self.append(key: key, answerJSON: answer.jsonBytes, fromCache: false, replacedStale: replacedStale,
                        batched: batched)
    }

    /// Appends an answer already in JSON (as the lookup cache keeps it: no decoding and encoding again).
    /// One line: {"k": match key, "a": answer, "c": true when it came from the cache, "s": true when it replaced
    /// a stale answer of the cache}.
    public func append(key: String, answerJSON: [UInt8], fromCache: Bool, replacedStale: Bool = false,
                       batched: Bool = false) throws {
        guard !answerJSON.contains(UInt8(ascii: "\n")) else {
            // Not one line (never written so by this daemon): re-encode it compactly.
            guard var answer = CompanyAnswer(json: answerJSON) else { return }
            if fromCache { answer.source = "cache" }
            try self.append(key: key, answer: answer, replacedStale: replacedStale, batched: batched)
            return
        }
        var json = JSONBytes()
        json.object { json in
            json.member("k", key)
            json.member("a", raw: answerJSON)
            if fromCache { json.member("c", raw: Array("true".utf8)) }
            if replacedStale { json.member("s", raw: Array("true".utf8)) }
        }
        var line = json.bytes
        line.append(UInt8(ascii: "\n"))
        try self.writeLine(line)
        self.unsynced += 1
        if self.unsynced >= 64 && !batched
            && DispatchTime.now().uptimeNanoseconds - self.lastSync >= Self.groupCommitNanoseconds
        {
            try self.sync()
        }
    }

    /// Appends one whole line with `write(2)`; a line cut short (full disk) is cut off again.
    private func writeLine(_ line: [UInt8]) throws {
        let start = lseek(self.descriptor, 0, SEEK_END)
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { write(self.descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 {
                offset += written
                continue
            }
            // write(2) returned 0 or failed: a short write sets no errno, so report the real cause, and cut
            // the torn line off again so a later append does not glue onto it.
            let code = written < 0 && errno != EINTR ? errno : (written == 0 ? ENOSPC : 0)
            if code == 0 { continue }
            if start >= 0 { ftruncate(self.descriptor, start) }
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    public func sync() throws {
        guard self.unsynced > 0 else { return }
        guard fsync(self.descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.unsynced = 0
        self.lastSync = DispatchTime.now().uptimeNanoseconds
    }
}
