import Formats

/// A saved enrichment, as `enrichments/NAME/enrichment.json` holds it: a job descriptor that every refresh
/// submits as an ordinary job, whether the schedule refreshes it (`"active"`), and when (`"schedule"`).
public struct EnrichmentDefinition: Sendable, Equatable {
    /// What each run does; its data files are absolute paths, so each run re-reads the latest export.
    public var descriptor: JobDescriptor
    /// An inactive enrichment is never refreshed by the schedule, only by hand.
    public var isActive: Bool
    /// When the daemon refreshes it; without one it refreshes only when run by hand.
    public var schedule: RefreshSchedule?

    public init(descriptor: JobDescriptor, isActive: Bool = true, schedule: RefreshSchedule? = nil) {
        self.descriptor = descriptor
        self.isActive = isActive
        self.schedule = schedule
    }

    /// Parses and checks `enrichment.json`: the descriptor exactly as a job's (same diagnostics), its data files
    /// absolute, then `"active"` (default `true`) and `"schedule"`. Whether the files lie under the
    /// configuration's input roots is ``checkDataFiles(inputRoots:file:)``'s to say.
    public static func parse(_ bytes: [UInt8], file: String = "enrichment.json") throws(JobError) -> Self {
        let (descriptor, own) = try JobDescriptor.parse(bytes, file: file) {
            root throws(JobError) -> (isActive: Bool, schedule: RefreshSchedule?) in
            try Self.requireAbsoluteDataFiles(root)
            let isActive = try root.bool("active") ?? true
            var schedule: RefreshSchedule?
            if let reader = try root.object("schedule") {
                schedule = try RefreshSchedule.parse(reader)
            }
            return (isActive, schedule)
        }
        return Self(descriptor: descriptor, isActive: own.isActive, schedule: own.schedule)
    }

    /// The data files a refresh reads, each with the key path that names it.
    public var dataFiles: [(keyPath: String, path: String)] {
        var files = [(keyPath: "customers.file", path: self.descriptor.customers.file)]
        if let members = self.descriptor.customers.segment?.membersFile {
            files.append(("customers.segment.membersFile", members))
        }
        if let contacts = self.descriptor.contacts {
            files.append(("contacts.file", contacts.file))
        }
        return files
    }

    /// Refuses a data file outside every input root of the configuration, or a symbolic link on its way that
    /// leads out of them — the check a job's absolute paths get, with advice for a saved enrichment.
    public func checkDataFiles(inputRoots: [String], file: String = "enrichment.json") throws(JobError) {
        let roots = inputRoots.map(JobPaths.canonical)
        for (keyPath, path) in self.dataFiles {
            let shown = "\"\(CSVFormat.jsonEscaped(path))\""
            guard roots.contains(where: { JobPaths.isInside(path, $0) }) else {
                throw JobError(
                    .pathNotAllowed, "\(shown) is outside the allowed input roots", file: file, keyPath: keyPath,
                    hint: inputRoots.isEmpty
                        ? "the configuration lists no \"inputRoots\": add the directory the export is written to"
                        : "name a file under \(inputRoots.joined(separator: ", ")), or add its directory to "
                            + "the configuration's \"inputRoots\"")
            }
            if let real = JobPaths.realpath(path), !roots.contains(where: { JobPaths.isInside(real, $0) }) {
                throw JobError(
                    .pathNotAllowed, "\(shown) is a symbolic link leading outside the allowed input roots",
                    file: file, keyPath: keyPath, hint: "name the file where it really lies, under an input root")
            }
        }
    }

    /// A refresh re-reads its export where it lies, so a path relative to a job bundle means nothing here.
    private static func requireAbsoluteDataFiles(_ root: JSONObjectReader) throws(JobError) {
        // The descriptor was read already, so these readers only look its values up again, with their positions.
        var located: [(reader: JSONObjectReader, key: String)] = []
        if let customers = try root.object("customers") {
            located.append((customers, "file"))
            if let segment = try customers.object("segment") { located.append((segment, "membersFile")) }
        }
        if let contacts = try root.object("contacts") { located.append((contacts, "file")) }
        for (reader, key) in located {
            guard let path = try reader.string(key) else { continue }
            let shown = "\"\(CSVFormat.jsonEscaped(path))\""
            var error: JobError
            if !path.hasPrefix("/") {
                error = reader.invalid(
                    key, "\(shown) is not an absolute path",
                    hint: "a saved enrichment re-reads its export at each refresh: name it by its absolute path "
                        + "under one of the configuration's inputRoots, e.g. \"/srv/exports/accounts.csv\"")
            } else if path.split(separator: "/").contains("..") {
                error = reader.invalid(key, "\(shown) contains '..'", hint: "name the file without '..'")
            } else {
                continue
            }
            error.code = .pathNotAllowed
            throw error
        }
    }
}
