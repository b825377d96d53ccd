import Formats
import Foundation
import POSIX
import Spool

/// Saved enrichments in a spool's `enrichments/`: created, edited, switched on and off, deleted and run by
/// `enrichctl`, each validated exactly as a job is. A run is an ordinary job: its descriptor is the
/// definition's, with `"enrichment"` naming where its outputs go.
public struct EnrichmentStore: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// The definition is invalid (the message is the diagnostic).
            case invalid
            case exists
            case noSuchEnrichment
            /// The spool could not be written.
            case spool
        }

        public var kind: Kind
        public var description: String

        init(_ kind: Kind, _ description: String) {
            self.kind = kind
            self.description = description
        }
    }

    public let layout: SpoolLayout

    public init(layout: SpoolLayout) {
        self.layout = layout
    }

    /// The note left in `control/` after a change, so the daemon reads the enrichments and their schedules
    /// again at once (inotify on control/) rather than at its next rescan.
    public static let changedNoteName = "enrichments-changed"

    /// Leaves the note (best effort: without it the daemon sees the change at its next rescan or start).
    public func noteChange() {
        let fd = open(self.layout.path("control", Self.changedNoteName), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        if fd >= 0 { close(fd) }
    }

    /// Every saved enrichment's name (directories whose name is one), sorted.
    public func names() -> [EnrichmentName] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.layout.enrichments)) ?? []
        return names.compactMap(EnrichmentName.init(rawValue:)).sorted()
    }

    /// Reads and checks a definition file as `create` and `edit` do: the job descriptor's diagnostics, absolute
    /// data files, and (with the configuration's input roots) files under them.
    public static func check(definitionPath path: String, inputRoots: [String]?) throws(Failure) -> (EnrichmentDefinition, [UInt8]) {
        do {
            let bytes = try JobFile.readDescriptor(path, displayName: path)
            let definition = try EnrichmentDefinition.parse(bytes, file: path)
            if let inputRoots { try definition.checkDataFiles(inputRoots: inputRoots, file: path) }
            return (definition, bytes)
        } catch {
            throw Failure(.invalid, error.description)
        }
    }

    /// Saves a new enrichment from a definition file. Nothing is created when the definition is invalid.
    @discardableResult
    public func create(_ name: EnrichmentName, definitionPath: String, inputRoots: [String]?) throws(Failure)
        -> EnrichmentDefinition
    {
        let (definition, bytes) = try Self.check(definitionPath: definitionPath, inputRoots: inputRoots)
        let directory = self.layout.enrichment(name.rawValue)
        // mkdir is the one atomic claim of the name.
        guard mkdir(directory.path, 0o750) == 0 else {
            let code = errno
            if code == EEXIST { throw Failure(.exists, "an enrichment named \(name) exists already (enrichctl enrichment edit \(name) FILE changes it)") }
            if code == ENOENT {
                throw Failure(.spool, "the spool \(self.layout.root) has no enrichments/ directory: it is not set up (the daemon creates it at start)")
            }
            throw Failure(.spool, "cannot create \(directory.path): \(String(cString: strerror(code)))")
        }
        // The daemon writes inside (runs, current, history): its entry in the ACL inherited from enrichments/ is
        // bounded by the mask, the mode's group bits, so those must be rwx (the group entry itself gives the
        // submit group nothing). What it writes inherits access for the creator too, and for no other submitter.
        // Best effort, as for a job: without ACL support the submit group (the daemon's) has the mode's access.
        chmod(directory.path, 0o770)
        if getuid() != 0 { try? PosixACL.inheritAccess(directory: directory.path, uid: getuid()) }
        do {
            try DurableFile.write(bytes, to: directory.definition)
            try DurableFile.syncDirectory(self.layout.enrichments)
        } catch {
            try? FileManager.default.removeItem(atPath: directory.path)
            throw Failure(.spool, "cannot write \(directory.definition): \(error)")
        }
        self.noteChange()
        return definition
    }

    /// Replaces a saved enrichment's definition (its outputs and history stay).
    @discardableResult
    public func edit(_ name: EnrichmentName, definitionPath: String, inputRoots: [String]?) throws(Failure)
        -> EnrichmentDefinition
    {
        let directory = try self.existing(name)
        let (definition, bytes) = try Self.check(definitionPath: definitionPath, inputRoots: inputRoots)
        do {
            try DurableFile.write(bytes, to: directory.definition)
        } catch {
            throw Failure(.spool, "cannot write \(directory.definition): \(error)")
        }
        self.noteChange()
        return definition
    }

    /// Switches the schedule's refreshes on or off (`"active"` in the definition).
    public func setActive(_ name: EnrichmentName, _ active: Bool) throws(Failure) {
        let directory = try self.existing(name)
        guard let data = FileManager.default.contents(atPath: directory.definition),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            throw Failure(.invalid, "\(directory.definition) cannot be read")
        }
        object["active"] = active
        do {
            let bytes = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try DurableFile.write(bytes + Data("\n".utf8), to: directory.definition)
        } catch {
            throw Failure(.spool, "cannot write \(directory.definition): \(error)")
        }
        self.noteChange()
    }

    /// Removes a saved enrichment: its definition, current outputs and history (its runs' jobs stay in done/
    /// and failed/). The directory is first renamed out of the way, so the name is gone at once.
    public func delete(_ name: EnrichmentName) throws(Failure) {
        let directory = try self.existing(name)
        let doomed = self.layout.path("enrichments", ".\(name.rawValue).deleted-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try DurableFile.rename(directory.path, to: doomed)
        } catch {
            throw Failure(.spool, "cannot remove \(directory.path): \(error)")
        }
        try? FileManager.default.removeItem(atPath: doomed)
        self.noteChange()
    }

    /// The saved definition.
    public func definition(_ name: EnrichmentName) throws(Failure) -> EnrichmentDefinition {
        let directory = try self.existing(name)
        do {
            let bytes = try JobFile.readDescriptor(directory.definition, displayName: directory.definition)
            return try EnrichmentDefinition.parse(bytes, file: directory.definition)
        } catch {
            throw Failure(.invalid, error.description)
        }
    }

    /// Submits a run now: an ordinary job, queued in incoming/, whose descriptor is the definition's with
    /// `"enrichment"` naming this enrichment and `"refreshDueAt"` the refresh it serves (the schedule's slot,
    /// or now when run by hand). Returns its job id.
    public func run(_ name: EnrichmentName, dueAt: Date = Date()) throws(Failure) -> String {
        let directory = try self.existing(name)
        _ = try self.definition(name)
        guard let data = FileManager.default.contents(atPath: directory.definition),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            throw Failure(.invalid, "\(directory.definition) cannot be read")
        }
        object["active"] = nil
        object["schedule"] = nil
        object["enrichment"] = name.rawValue
        object["refreshDueAt"] = Timestamp.iso(dueAt)
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("enrichctl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let bytes = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try bytes.write(to: URL(fileURLWithPath: staging + "/job.json"))
            // A refresh the daemon submits is still the enrichment owner's to read.
            var owner = stat()
            let readableBy = stat(directory.path, &owner) == 0 && owner.st_uid != getuid() ? owner.st_uid : nil
            let id = try JobSubmitter.submit(path: staging + "/job.json", layout: self.layout,
                                             id: SpoolLayout.newID(prefix: name.rawValue), readableBy: readableBy)
            // A slot that comes due while this run is queued or active is skipped: the daemon must know of it.
            self.noteChange()
            return id
        } catch let failure as JobSubmitter.Failure {
            throw Failure(failure.kind == .spool ? .spool : .invalid, failure.description)
        } catch {
            throw Failure(.invalid, "\(error)")
        }
    }

    /// The finished runs and skipped refreshes, oldest first.
    public func history(_ name: EnrichmentName) throws(Failure) -> [RefreshHistoryEntry] {
        RefreshHistoryEntry.entries(try self.existing(name).historyLines())
    }

    private func existing(_ name: EnrichmentName) throws(Failure) -> EnrichmentDirectory {
        let directory = self.layout.enrichment(name.rawValue)
        guard FileManager.default.fileExists(atPath: directory.definition) else {
            throw Failure(.noSuchEnrichment, "no enrichment \(name) in \(self.layout.enrichments) (enrichctl enrichments lists them)")
        }
        return directory
    }
}

/// A line of "My enrichments": what Customer Insights lists for each enrichment.
public struct EnrichmentSummary: Sendable, Encodable, Equatable {
    public var name: String
    public var active: Bool
    /// `Successful`, `Completed with warnings`, `Processing`, `Queued`, `Cancelled`, `Not started`,
    /// `Failed (retrying)` or `Failed (permanent)`.
    public var status: String
    public var connection: String
    /// From the current outputs' result.json: "Enriched N of M".
    public var enrichedProfiles: Int?
    public var profiles: Int?
    /// When the current outputs' run finished.
    public var refreshedAt: String?
    public var refreshedAgoSeconds: Double?
    public var nextRefreshAt: String?
    public var schedule: String?
    /// The run queued or in progress, if any.
    public var pendingRun: String?

    /// - Parameter now: the instant the next refresh is computed from.
    public init(name: EnrichmentName, store: EnrichmentStore, now: Date = Date()) throws(EnrichmentStore.Failure) {
        let definition = try store.definition(name)
        let directory = store.layout.enrichment(name.rawValue)
        self.name = name.rawValue
        self.active = definition.isActive
        self.connection = definition.descriptor.connection
        self.schedule = definition.schedule?.description
        if definition.isActive, let next = definition.schedule?.next(after: now) { self.nextRefreshAt = Timestamp.iso(next) }
        if let data = FileManager.default.contents(atPath: directory.current + "/" + JobDirectory.resultName),
            let result = try? JSONDecoder().decode(ResultSummary.self, from: data)
        {
            let headline = result.customers.headline
            self.enrichedProfiles = headline.enriched
            self.profiles = headline.total
            self.refreshedAt = result.timings.finishedAt
            self.refreshedAgoSeconds = Timestamp.date(result.timings.finishedAt).map { max(0, now.timeIntervalSince($0).rounded()) }
        }
        let inspector = JobInspector(layout: store.layout, now: now)
        let pending = inspector.queued().filter { $0.enrichment == name.rawValue }
            + inspector.jobs(in: .active, names: Self.activeRuns(of: name, layout: store.layout))
                .filter { $0.enrichment == name.rawValue }
        if let running = pending.first(where: { $0.place == .active }) {
            self.status = "Processing"
            self.pendingRun = running.id
        } else if let queued = pending.first {
            self.status = "Queued"
            self.pendingRun = queued.id
        } else {
            let last = RefreshHistoryEntry.entries(directory.historyLines()).last { $0.outcome != .skipped }
            self.status = last?.status ?? "Not started"
        }
    }

    /// Runs of this enrichment in active/: ids with its name as their prefix (how `run` names them).
    private static func activeRuns(of name: EnrichmentName, layout: SpoolLayout) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: layout.active)) ?? [])
            .filter { $0.hasPrefix(name.rawValue + "-") }
    }
}
