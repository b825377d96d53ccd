import Foundation

/// One saved enrichment's directory, `enrichments/NAME/`. The file names are defined here once.
///
///     enrichment.json   the definition: a job descriptor plus "active" and "schedule"
///     current           the outputs of the last successful run: a symbolic link to runs/ID, replaced by rename
///     runs/ID/          a successful run's outputs (hard links to done/ID's files where the filesystem allows);
///                       the current run and the one before it are kept
///     history.jsonl     one line per finished run
///
/// `current` is a link swapped with rename(2), so a reader finds the previous run's outputs or the new run's,
/// never a mix: each run has its own directory, and a reader that resolves `current` once (`realpath`, or
/// opening the directory) reads one run throughout, for as long as the next refresh keeps it (one more
/// refresh). A plain directory cannot be replaced by rename while it holds files.
public struct EnrichmentDirectory: Sendable, Equatable {
    public static let definitionName = "enrichment.json"
    public static let currentName = "current"
    public static let runsName = "runs"
    public static let historyName = "history.jsonl"

    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public func file(_ name: String) -> String { (self.path as NSString).appendingPathComponent(name) }

    public var definition: String { self.file(Self.definitionName) }
    public var current: String { self.file(Self.currentName) }
    public var runs: String { self.file(Self.runsName) }
    public var history: String { self.file(Self.historyName) }
    public func run(_ id: String) -> String { (self.runs as NSString).appendingPathComponent(id) }

    /// The job id of the run `current` points at, if any.
    public var currentRunID: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: self.current) else { return nil }
        let parts = target.split(separator: "/")
        guard parts.count == 2, parts[0] == Substring(Self.runsName) else { return nil }
        return String(parts[1])
    }

    /// Makes a finished run's outputs the current ones: `files` of `source` (done/ID) go into runs/ID (hard
    /// links, copies where links are refused), then `current` is pointed at it by rename, then runs older than
    /// the one it replaced are removed. Every step is durable and can be done again, so after a crash at any
    /// point publishing the same run again completes it, and `current` is always whole.
    public func publish(run id: String, from source: String, files: [String]) throws(DurableFile.Failure) {
        // Group rwx: under the enrichment's ACL that is the mask, so its owner (a named entry) may remove the
        // daemon's runs when deleting the enrichment.
        try DurableFile.makeDirectory(self.runs, mode: 0o770)
        chmod(self.runs, 0o770)
        let destination = self.run(id)
        if !FileManager.default.fileExists(atPath: destination) {
            let staging = (self.runs as NSString).appendingPathComponent(DurableFile.temporaryName(of: id))
            try? FileManager.default.removeItem(atPath: staging)
            try DurableFile.makeDirectory(staging, mode: 0o770)
            chmod(staging, 0o770)
            for name in files {
                let from = (source as NSString).appendingPathComponent(name)
                let to = (staging as NSString).appendingPathComponent(name)
                if link(from, to) != 0 {
                    let code = errno
                    guard code == EXDEV || code == EPERM || code == EMLINK else {
                        throw DurableFile.Failure(operation: "link", path: from, errno: code)
                    }
                    try Self.copy(from, to: to)
                }
            }
            try DurableFile.syncDirectory(staging)
            try DurableFile.rename(staging, to: destination)
        }
        let previous = self.currentRunID
        if previous != id {
            let link = self.file(DurableFile.temporaryName(of: Self.currentName))
            unlink(link)
            guard symlink("\(Self.runsName)/\(id)", link) == 0 else {
                throw DurableFile.Failure(operation: "symlink", path: link, errno: errno)
            }
            try DurableFile.rename(link, to: self.current)
        }
        // Keep the run now current and the one a reader may still be reading.
        let keep = Set([id] + (previous.map { [$0] } ?? []))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: self.runs)) ?? [] where !keep.contains(name) {
            try? FileManager.default.removeItem(atPath: self.run(name))
        }
    }

    /// Appends one line (without its newline) to history.jsonl, durably. A line a crash cut short is dropped
    /// first, so the file stays whole lines.
    public func appendHistory(_ line: [UInt8]) throws(DurableFile.Failure) {
        let fd = open(self.history, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw DurableFile.Failure(operation: "open", path: self.history, errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw DurableFile.Failure(operation: "stat", path: self.history, errno: errno) }
        var end = off_t(status.st_size)
        if end > 0 {
            // Back to just after the last newline.
            var byte: UInt8 = 0
            var keep = end
            while keep > 0 {
                guard pread(fd, &byte, 1, keep - 1) == 1 else { break }
                if byte == UInt8(ascii: "\n") { break }
                keep -= 1
            }
            if keep != end {
                guard ftruncate(fd, keep) == 0 else {
                    throw DurableFile.Failure(operation: "truncate", path: self.history, errno: errno)
                }
                end = keep
            }
        }
        let bytes = line.filter { $0 != UInt8(ascii: "\n") } + [UInt8(ascii: "\n")]
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in pwrite(fd, raw.baseAddress! + offset, raw.count - offset, end + off_t(offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw DurableFile.Failure(operation: "write", path: self.history, errno: errno)
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw DurableFile.Failure(operation: "fsync", path: self.history, errno: errno) }
    }

    /// history.jsonl's complete lines, oldest first (a line a crash cut short is not one).
    public func historyLines() -> [[UInt8]] {
        guard let data = FileManager.default.contents(atPath: self.history) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        lines.removeLast()  // after the last newline: empty, or a torn line
        return lines.filter { !$0.isEmpty }
    }

    private static func copy(_ source: String, to destination: String) throws(DurableFile.Failure) {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw DurableFile.Failure(operation: "read", path: source, errno: errno)
        }
        try DurableFile.write(data, to: destination)
    }
}
