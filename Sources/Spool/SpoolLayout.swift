import Foundation

/// The spool tree, modeled on Maildir and the Postfix queue. Every state change is a rename inside it.
///
/// ```
/// tmp/        producers stage here, then rename into incoming/
/// incoming/   NAME.json (a descriptor) or NAME/ (a bundle: job.json + data files)
/// active/ID/  claimed jobs
/// done/ID/    finished jobs with their outputs
/// failed/ID/  rejected or failed jobs with error.json
/// enrichments/NAME/  saved enrichments: definition, current outputs, history
/// ```
public struct SpoolLayout: Sendable, Equatable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var tmp: String { self.path("tmp") }
    public var incoming: String { self.path("incoming") }
    public var active: String { self.path("active") }
    public var done: String { self.path("done") }
    public var failed: String { self.path("failed") }
    public var control: String { self.path("control") }
    /// Saved enrichments, one directory each (``EnrichmentDirectory``).
    public var enrichments: String { self.path("enrichments") }

    public func path(_ components: String...) -> String {
        components.reduce(self.root) { ($0 as NSString).appendingPathComponent($1) }
    }

    public func active(_ id: String) -> String { self.path("active", id) }
    public func done(_ id: String) -> String { self.path("done", id) }
    public func failed(_ id: String) -> String { self.path("failed", id) }
    public func enrichment(_ name: String) -> EnrichmentDirectory { EnrichmentDirectory(self.path("enrichments", name)) }

    /// Creates the tree (for development; packaged installs create it with systemd-tmpfiles).
    public func create() throws(DurableFile.Failure) {
        try DurableFile.makeDirectory(self.root, mode: 0o755)
        for directory in [self.tmp, self.incoming, self.enrichments] { try DurableFile.makeDirectory(directory, mode: 0o770) }
        for directory in [self.active, self.done, self.failed, self.control] {
            try DurableFile.makeDirectory(directory, mode: 0o750)
        }
    }

    /// Whether a name in the spool is to be ignored: dot files and `.tmp` files are producers' work in progress.
    public static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.isEmpty
    }

    /// A job id is safe as a single path component and in logs.
    /// The longest job id (a file name in every state directory).
    public static let maximumIDLength = 128

    public static func isValidID(_ id: String) -> Bool {
        guard (1...Self.maximumIDLength).contains(id.utf8.count), !id.hasPrefix(".") else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }

    /// Whether any state directory already holds this id.
    public func exists(id: String) -> Bool {
        [self.active(id), self.done(id), self.failed(id)].contains { FileManager.default.fileExists(atPath: $0) }
    }

    /// A fresh id: time-ordered like a Postfix queue id, with randomness against collisions.
    public static func newID(prefix: String? = nil) -> String {
        let stamp = Date().formatted(.iso8601.year().month().day().dateSeparator(.omitted)
            .time(includingFractionalSeconds: false).timeSeparator(.omitted).dateTimeSeparator(.standard))
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let base = "\(stamp.replacingOccurrences(of: "T", with: "-").replacingOccurrences(of: "Z", with: ""))-\(random)"
        guard let prefix, !prefix.isEmpty else { return base }
        // Every valid prefix (an output table name may take all 128 characters) still gives a valid id: the
        // prefix is shortened, the stamp and the random part never are.
        return "\(prefix.prefix(Self.maximumIDLength - base.utf8.count - 1))-\(base)"
    }
}
