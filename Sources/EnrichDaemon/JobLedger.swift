import Enrichment
import Foundation

/// A job's checkpoint: an append-only file of answered lookups (`answers.jsonl`), so a restarted daemon
/// re-sends only lookups whose answers were never recorded.
///
/// Each answer is written with one `write(2)` as soon as it arrives (a killed process loses nothing the kernel
/// has), and fsynced in batches (a power loss loses at most the last batch). A torn last line is ignored.
final class JobLedger {
    struct Entry: Codable {
        var k: String
        var a: CompanyAnswer
    }

    let path: String
    private var descriptor: Int32
    private var unsynced = 0
    private let encoder = JSONEncoder()

    init(path: String) throws {
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

    /// Every answer recorded so far.
    static func load(path: String) -> [String: CompanyAnswer] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var answers: [String: CompanyAnswer] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let entry = try? decoder.decode(Entry.self, from: line) else { continue }
            answers[entry.k] = entry.a
        }
        return answers
    }

    /// How many answers the ledger holds (complete lines), cheaply, for progress checks.
    static func count(path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    func append(key: String, answer: CompanyAnswer) throws {
        var line = try self.encoder.encode(Entry(k: key, a: answer))
        line.append(UInt8(ascii: "\n"))
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
        self.unsynced += 1
        if self.unsynced >= 64 { try self.sync() }
    }

    func sync() throws {
        guard self.unsynced > 0 else { return }
        guard fsync(self.descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.unsynced = 0
    }
}
