import Foundation
import Spool

/// One system-test world: a `leadspace-sandbox` with its own tokens, a spool, the daemon's configuration file,
/// and numbered daemon incarnations (each with its own notify socket and log file). Its files live under
/// `directory/name/`, so one temporary directory can hold several worlds (a reference run next to the run under
/// test).
public final class SystemWorld {
    public let directory: TemporaryDirectory
    public let name: String
    public let seed: Int
    public let companies: Int
    public let sandbox: SandboxServer
    public let tokens: [String]
    public let layout: SpoolLayout
    public let configurationPath: String
    private var incarnations = 0

    /// Starts the sandbox (`--seed`, `--companies`, one `--token` per token, then `sandboxOptions`) and creates
    /// the spool (at `spool` when given, e.g. on a small tmpfs).
    public init(in directory: TemporaryDirectory, name: String = "world", seed: Int, companies: Int,
                sandboxOptions: [String] = [], tokenCount: Int = 1, spool: String? = nil) throws {
        self.directory = directory
        self.name = name
        self.seed = seed
        self.companies = companies
        self.tokens = (0..<tokenCount).map { "\(name)-\($0)-\(UUID().uuidString)" }
        for (index, token) in self.tokens.enumerated() {
            try directory.write("\(name)/token-\(index)", token, mode: 0o600)
        }
        self.sandbox = try SandboxServer(["--seed", "\(seed)", "--companies", "\(companies)"]
            + self.tokens.flatMap { ["--token", $0] } + sandboxOptions,
        stderrPath: directory.file("\(name)/sandbox.log"))
        self.layout = SpoolLayout(root: spool ?? directory.file("\(name)/spool"))
        try self.layout.create()
        self.configurationPath = directory.file("\(name)/enrichd.json")
    }

    /// A path inside the world's folder.
    public func file(_ relative: String) -> String { self.directory.file("\(self.name)/\(relative)") }

    @discardableResult
    public func write(_ relative: String, _ contents: String) throws -> String {
        try self.directory.write("\(self.name)/\(relative)", contents)
    }

    public func tokenFile(_ index: Int = 0) -> String { self.file("token-\(index)") }

    /// `leadspace-sandbox sample` for this world's directory into `folder` (inside the world's folder): messy
    /// `accounts.csv` and `contacts.csv`. Returns the folder's path.
    @discardableResult
    public func sample(accounts: Int, contacts: Int = 0, into folder: String = "bundle") throws -> String {
        let path = self.file(folder)
        let sample = try ChildProcess.run(BuiltProducts.sandbox, [
            "sample", "--seed", "\(self.seed)", "--companies", "\(self.companies)", "--accounts", "\(accounts)",
            "--contacts", "\(contacts)", "--out", path,
        ])
        guard sample.status == 0 else {
            throw SandboxServer.SandboxError(message: "leadspace-sandbox sample failed: \(sample.stderr)")
        }
        return path
    }

    /// `leadspace-sandbox export`: the ground truth (`truth/directory.csv`, with `persons.csv` beside it).
    /// Returns the directory file's path.
    @discardableResult
    public func export() throws -> String {
        let path = self.file("truth/directory.csv")
        let export = try ChildProcess.run(BuiltProducts.sandbox, [
            "export", "--seed", "\(self.seed)", "--companies", "\(self.companies)", "--out", path,
        ])
        guard export.status == 0 else {
            throw SandboxServer.SandboxError(message: "leadspace-sandbox export failed: \(export.stderr)")
        }
        return path
    }

    /// Writes `enrichd.json`: connections by name with the index of their token. `connectionMembers` are added
    /// to every connection (`"apiMode": "bulk"`), `members` to the top level (`"cache": {…}`).
    public func configure(connections: [String: Int] = ["default": 0], ratePerSecond: Int, maxInFlight: Int = 16,
                          maxActiveJobs: Int = 2, connectionMembers: String = "", members: String = "") throws {
        try self.writeConfiguration(DaemonConfigurationText.render(
            spool: self.layout.root, maxActiveJobs: maxActiveJobs, members: members,
            connections: connections.sorted { $0.key < $1.key }.map { name, token in
                .init(name: name, baseURL: self.sandbox.baseURL, tokenFile: self.tokenFile(token),
                      ratePerSecond: ratePerSecond, maxInFlight: maxInFlight, members: connectionMembers)
            }))
    }

    public func writeConfiguration(_ text: String) throws {
        try self.directory.write("\(self.name)/enrichd.json", text)
    }

    /// Starts `enrichd --config` and waits for `READY=1`.
    public func startDaemon(arguments: [String] = [], environment: [String: String] = [:]) throws -> DaemonIncarnation {
        self.incarnations += 1
        return try DaemonIncarnation(configuration: self.configurationPath,
                                     socketPath: self.file("n\(self.incarnations).sock"),
                                     logPath: self.file("daemon-\(self.incarnations).log"),
                                     arguments: arguments, environment: environment)
    }

    /// `enrichctl submit --spool SPOOL --id ID job.json`: copies the data in through tmp/.
    public func submit(_ jobFile: String, id: String) throws {
        let submitted = try ChildProcess.run(BuiltProducts.enrichctl, ["submit", "--spool", self.layout.root,
                                                                       "--id", id, jobFile])
        guard submitted.status == 0, submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == id else {
            throw SubmitFailure(description: "enrichctl submit \(id) failed (\(submitted.status)): \(submitted.stderr)")
        }
    }

    /// `result.json` of a finished job.
    public func result(_ id: String) throws -> [String: Any] {
        try SpoolInspection.jsonObject(self.layout.done(id) + "/result.json")
    }

    public func stop() {
        self.sandbox.stop()
    }

    public struct SubmitFailure: Error, CustomStringConvertible {
        public var description: String
    }
}
