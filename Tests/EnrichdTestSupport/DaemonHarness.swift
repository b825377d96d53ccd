import Dispatch
import Foundation
import Spool

// Helpers for system tests that stop, kill and restart the daemon: bounded waits for process exit, a daemon
// incarnation with its own notify socket and log, ledger and output-table readers, a seeded random generator.

extension ChildProcess {
    /// Waits for exit at most `timeout` seconds; the status (the signal number when killed by one), or `nil` while
    /// it still runs. Woken by the exit itself (a waiting thread), not by polling.
    public func wait(timeout: Double) -> Int32? {
        let semaphore = DispatchSemaphore(value: 0)
        let process = self.process
        Thread.detachNewThread {
            process.waitUntilExit()
            semaphore.signal()
        }
        guard semaphore.wait(timeout: .now() + timeout) == .success else { return nil }
        return process.terminationStatus
    }

    public var isRunning: Bool { self.process.isRunning }

    /// Whether the process ended by an uncaught signal (rather than by exiting).
    public var endedBySignal: Bool { !self.process.isRunning && self.process.terminationReason == .uncaughtSignal }
}

/// A notification socket that is read continuously on a thread, keeping every datagram.
///
/// A daemon sends `STATUS=` once a second while jobs run; a socket nobody reads fills up
/// (`net.unix.max_dgram_qlen`, 10 by default) and then blocks the daemon's `sd_notify` — as systemd never would.
public final class NotifyRecorder: @unchecked Sendable {
    public let path: String
    private let listener: NotifySocketListener
    private let condition = NSCondition()
    private var messages: [String] = []
    private var cursor = 0
    private var closed = false

    public init(path: String) throws {
        self.path = path
        self.listener = try NotifySocketListener(path: path)
        Thread.detachNewThread { [self] in
            while true {
                self.condition.lock()
                let closed = self.closed
                self.condition.unlock()
                if closed { return }
                // poll(2) wakes on a datagram; the timeout only bounds how late a close() is noticed.
                guard let message = self.listener.receive(timeout: 0.2) else { continue }
                self.condition.lock()
                self.messages.append(message)
                self.condition.broadcast()
                self.condition.unlock()
            }
        }
    }

    /// Stops the reading thread (which holds the recorder until then).
    public func close() {
        self.condition.lock()
        self.closed = true
        self.condition.unlock()
    }

    /// Every datagram received so far.
    public var all: [String] {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.messages
    }

    /// The datagrams after the last one returned, up to and including the first that satisfies `predicate`;
    /// `nil` if none arrives within `timeout` seconds.
    public func next(until predicate: (String) -> Bool, timeout: Double = 60) -> [String]? {
        let deadline = Date().addingTimeInterval(timeout)
        self.condition.lock()
        defer { self.condition.unlock() }
        while true {
            if let index = self.messages[self.cursor...].firstIndex(where: predicate) {
                let found = Array(self.messages[self.cursor...index])
                self.cursor = index + 1
                return found
            }
            if !self.condition.wait(until: deadline) {
                if self.messages[self.cursor...].contains(where: predicate) { continue }
                return nil
            }
        }
    }
}

/// One run of `enrichd --config PATH` with a fresh notification socket and its own stderr log.
public final class DaemonIncarnation: @unchecked Sendable {
    public let child: ChildProcess
    public let notifications: NotifyRecorder
    public let logPath: String
    /// The datagrams up to and including the first `READY=1`.
    public let startup: [String]

    /// Starts the daemon and waits (bounded) for `READY=1`; throws with the daemon's log when it does not come.
    public init(configuration: String, socketPath: String, logPath: String, arguments: [String] = [],
                environment: [String: String] = [:], readyTimeout: Double = 60) throws {
        self.notifications = try NotifyRecorder(path: socketPath)
        self.logPath = logPath
        do {
            self.child = try ChildProcess(BuiltProducts.enrichd, ["--config", configuration] + arguments,
                                          environment: environment.merging(["NOTIFY_SOCKET": socketPath]) { _, new in new },
                                          stderrPath: logPath)
        } catch {
            self.notifications.close()
            throw error
        }
        guard let startup = self.notifications.next(until: { $0.contains("READY=1") }, timeout: readyTimeout) else {
            self.child.signal(SIGKILL)
            self.child.wait()
            self.notifications.close()
            throw SandboxServer.SandboxError(message: "enrichd sent no READY=1; its log:\n\(self.child.standardError())")
        }
        self.startup = startup
    }

    deinit {
        self.notifications.close()
    }

    public var log: String { self.child.standardError() }

    /// The last `lines` lines of the log, for failure messages.
    public func logTail(_ lines: Int = 25) -> String {
        self.log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// SIGKILL and reap.
    public func kill9() {
        self.child.signal(SIGKILL)
        self.child.wait()
    }

    /// For `defer`: SIGKILL if still running (a test that wanted a graceful stop has already done it).
    public func stop() {
        if self.child.isRunning { self.kill9() }
        self.notifications.close()
    }
}

/// A job's `answers.jsonl`, read independently of the product.
public enum LedgerFile {
    /// Complete lines (answers recorded so far); 0 when the file does not exist yet.
    public static func lineCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        // memchr: polled every few milliseconds on a file of megabytes, in a debug build.
        return data.withUnsafeBytes { raw -> Int in
            guard var cursor = raw.baseAddress else { return 0 }
            let end = cursor + raw.count
            var count = 0
            while cursor < end, let found = memchr(cursor, Int32(UInt8(ascii: "\n")), end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return count
        }
    }

    /// The lookup keys of the complete lines, in order (duplicates kept).
    public static func keys(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["k"] as? String
        }
    }
}

/// Writes a sample bundle (`leadspace-sandbox sample`) and an accounts job descriptor for it.
public enum SampleBundle {
    public static func write(to folder: String, seed: Int, companies: Int, accounts: Int,
                             connection: String = "default", outputTable: String = "LeadspaceAccounts",
                             name: String = "Sample accounts") throws {
        let sample = try ChildProcess.run(BuiltProducts.sandbox, [
            "sample", "--seed", "\(seed)", "--companies", "\(companies)", "--accounts", "\(accounts)",
            "--contacts", "0", "--out", folder,
        ])
        guard sample.status == 0 else {
            throw SandboxServer.SandboxError(message: "leadspace-sandbox sample failed: \(sample.stderr)")
        }
        try self.writeDescriptor(to: folder, connection: connection, outputTable: outputTable, name: name)
    }

    public static func writeDescriptor(to folder: String, connection: String, outputTable: String = "LeadspaceAccounts",
                                       name: String = "Sample accounts", file: String = "job.json") throws {
        let descriptor = """
            {"name": "\(name)", "outputTable": "\(outputTable)", "connection": "\(connection)",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "identifyBy": ["primary"],
             "mapping": {"primary": {"companyName": "Name", "website": "Website",
                                     "location": {"country": "Country", "city": "City"}}}}
            """
        try Data(descriptor.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(file)))
    }
}

/// `enrichd.json` text for tests.
public struct DaemonConfigurationText {
    public struct Connection {
        public var name: String
        public var baseURL: String
        public var tokenFile: String
        public var ratePerSecond: Int
        public var maxInFlight: Int
        public var consent: Bool
        /// More JSON members for the connection, e.g. `"apiMode": "bulk"`.
        public var members: String

        public init(name: String = "default", baseURL: String, tokenFile: String, ratePerSecond: Int = 300,
                    maxInFlight: Int = 16, consent: Bool = true, members: String = "") {
            self.name = name
            self.consent = consent
            self.baseURL = baseURL
            self.tokenFile = tokenFile
            self.ratePerSecond = ratePerSecond
            self.maxInFlight = maxInFlight
            self.members = members
        }
    }

    /// `members`: more top-level JSON members, e.g. `"cache": {"path": "…"}`.
    public static func render(spool: String, maxActiveJobs: Int = 2, members: String = "",
                              connections: [Connection]) -> String {
        let entries = connections.map { connection in
            """
            "\(connection.name)": {"baseURL": "\(connection.baseURL)", "dataSharingConsent": \(connection.consent), \
            "tokenFile": "\(connection.tokenFile)", "ratePerSecond": \(connection.ratePerSecond), \
            "maxInFlight": \(connection.maxInFlight)\(connection.members.isEmpty ? "" : ", " + connection.members)}
            """
        }
        return """
            {"spool": "\(spool)", "maxActiveJobs": \(maxActiveJobs),\(members.isEmpty ? "" : " " + members + ",")
             "connections": {\(entries.joined(separator: ",\n  "))}}
            """
    }
}

/// An output table as rows of every column but `EnrichedAt` (a timestamp that differs between runs).
public struct ComparableOutput {
    public var header: [String]
    public var rows: [[String]]

    public init(path: String, ignoring ignored: Set<String> = ["EnrichedAt"]) throws {
        let table = try CSVFile(path: path)
        self.header = table.header.filter { !ignored.contains($0) }
        let header = self.header
        self.rows = table.rows.map { row in header.map { row[$0] ?? "<missing>" } }
    }

    /// A description of the first difference from `other`, or `nil` when equal.
    public func firstDifference(from other: ComparableOutput) -> String? {
        if self.header != other.header { return "headers differ: \(self.header) vs \(other.header)" }
        for (index, (mine, theirs)) in zip(self.rows, other.rows).enumerated() where mine != theirs {
            let columns = self.header.indices.filter { mine[$0] != theirs[$0] }.map { self.header[$0] }
            return "row \(index + 1) differs in \(columns): \(mine) vs \(theirs)"
        }
        if self.rows.count != other.rows.count { return "row counts differ: \(self.rows.count) vs \(other.rows.count)" }
        return nil
    }
}

/// Reading spool files for assertions and failure evidence.
public enum SpoolInspection {
    /// A JSON object file (result.json, error.json).
    public static func jsonObject(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SandboxServer.SandboxError(message: "\(path): missing")
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SandboxServer.SandboxError(message: "\(path): not a JSON object")
        }
        return object
    }

    /// A directory tree listing (`find`-like, with sizes) for failure evidence.
    public static func listing(_ root: String) -> String {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return "\(root): cannot list" }
        var lines: [String] = []
        while let entry = enumerator.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(entry)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            lines.append("\(entry) \(size)")
        }
        return lines.sorted().joined(separator: "\n")
    }
}

/// Whether to keep test directories for inspection (`ENRICHD_KEEP_TEST_DIRS=1`).
public var keepTestDirectories: Bool {
    ProcessInfo.processInfo.environment["ENRICHD_KEEP_TEST_DIRS"] == "1"
}
