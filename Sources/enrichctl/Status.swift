import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List queued, active, done and failed jobs.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let layout = try self.spoolOptions.layout()
        var entries: [[String: String]] = []
        for (state, directory) in [("queued", layout.incoming), ("active", layout.active), ("done", layout.done),
                                   ("failed", layout.failed)] {
            let names = SpoolListing.names(in: directory)
            for name in names {
                let attributes = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name))
                let age = (attributes?[.modificationDate] as? Date).map { Self.age(since: $0) } ?? "?"
                entries.append(["state": state, "id": name, "age": age])
                if self.json { continue }
                print("\(state.padding(toLength: 7, withPad: " ", startingAt: 0)) \(age.padding(toLength: 6, withPad: " ", startingAt: 0)) \(name)")
            }
        }
        if self.json { try printJSON(entries) }
    }

    static func age(since date: Date) -> String {
        Self.ageText(since: date)
    }

    static func ageText(since date: Date) -> String {
        let seconds = Int(Date().timeIntervalSince(date))
        switch seconds {
        case ..<60: return "\(max(0, seconds))s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the progress of active jobs.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "A job id (default: all active jobs).", completion: Completions.jobs(.active))
    var id: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Keep showing progress (a bar with rate and ETA on a terminal) until the jobs finish.")
    var follow = false

    mutating func run() async throws {
        guard self.follow else { return try self.once() }
        let terminal = isatty(STDOUT_FILENO) == 1
        let layout = try self.spoolOptions.layout()
        while true {
            let reports = Self.reports(layout: layout, id: self.id)
            if reports.isEmpty {
                if terminal { print("") }
                if let id = self.id {
                    print(FileManager.default.fileExists(atPath: layout.done(id)) ? "\(id): done"
                          : FileManager.default.fileExists(atPath: layout.failed(id)) ? "\(id): failed" : "\(id): not active")
                } else {
                    print("no active jobs")
                }
                return
            }
            let lines = reports.map { Self.progressLine($0, bar: terminal) }
            if terminal {
                // Unbuffered write: print() would hold a line without a newline back.
                FileHandle.standardOutput.write(Data(("\u{1B}[2K\r" + lines.joined(separator: " | ")).utf8))
            } else {
                lines.forEach { print($0) }
            }
            // A refresh tick, not a wait for an event: the rate and ETA change while no file does.
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func reports(layout: SpoolLayout, id: String?) -> [ProgressReport] {
        let ids = id.map { [$0] } ?? SpoolListing.names(in: layout.active)
        return ids.compactMap { id in
            FileManager.default.contents(atPath: JobDirectory(layout.active(id)).progress)
                .flatMap { try? JSONDecoder().decode(ProgressReport.self, from: $0) }
        }
    }

    /// `EMEA Q4 [########------------] 41% 1,234/3,000 29.8/s ETA 1m02s`
    static func progressLine(_ report: ProgressReport, bar: Bool) -> String {
        let percent = report.percent
        var line = "\(report.name) "
        if bar {
            let filled = Int((percent / 5).rounded(.down))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "] "
        }
        line += "\(Int(percent))% \(report.answered)/\(report.lookups) \(report.lookupsPerSecond)/s"
        if let reason = report.pausedReason { return line + " paused: \(reason)" }
        if report.lookupsPerSecond > 0 {
            let seconds = Int(Double(report.lookups - report.answered) / report.lookupsPerSecond)
            line += " ETA \(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
        }
        return line
    }

    func once() throws {
        let layout = try self.spoolOptions.layout()
        let ids = self.id.map { [$0] } ?? SpoolListing.names(in: layout.active)
        let queued = SpoolClaimer(layout: layout).queued().count
        var reports: [ProgressReport] = []
        for id in ids {
            let path = JobDirectory(layout.active(id)).progress
            if let data = FileManager.default.contents(atPath: path),
                let report = try? JSONDecoder().decode(ProgressReport.self, from: data)
            {
                reports.append(report)
            } else if let id = self.id {
                if FileManager.default.fileExists(atPath: layout.done(id)) { print("\(id): done") }
                else if FileManager.default.fileExists(atPath: layout.failed(id)) { print("\(id): failed") }
                else { print("\(id): not active") }
                return
            }
        }
        if self.json { return try printJSON(reports) }
        print("\(reports.count) active, \(queued) queued")
        for report in reports {
            var line = "\(report.id)  \(report.name)  \(report.phase.rawValue)  "
                + "\(String(format: "%.1f", report.percent))% (\(report.answered)/\(report.lookups) lookups)"
                + "  \(report.lookupsPerSecond) lookups/s"
            if let reason = report.pausedReason { line += "  paused: \(reason)" }
            print(line)
        }
    }
}

struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait until a job is done or failed (inotify; twice a second for a submitter, who may not read done/); exit 0 when done, 1 when failed.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued))
    var id: String

    @Option(name: .long, help: "Give up after this many seconds (exit 2).")
    var timeout: Double = 3600

    /// Why the wait loop looks again.
    enum WakeUp: Sendable {
        /// Something arrived in done/ or failed/ (or, without inotify, half a second passed).
        case changed
        /// The timeout is over.
        case deadline
    }

    mutating func run() async throws {
        let layout = try self.spoolOptions.layout()
        let clock = ContinuousClock()
        // Instants past Int64 nanoseconds trap in Task.sleep: a timeout of "forever" waits 30 years.
        let deadline = clock.now.advanced(by: .seconds(self.timeout.isNaN ? 0 : min(max(self.timeout, 0), 1e9)))
        // One pending wake-up is enough: every wake-up looks at both directories.
        let (wakeUps, continuation) = AsyncStream.makeStream(of: WakeUp.self, bufferingPolicy: .bufferingNewest(1))
        let queue = DispatchQueue(label: "enrichctl.wait")
        // Watch first, then look: a job finishing in between is seen by the look. A submitter may pass through
        // done/ and failed/ but not read them, which inotify needs: then look twice a second instead.
        let watchers = try? [layout.done, layout.failed].map {
            try InotifyWatcher(directory: $0, mask: [.movedTo, .create], queue: queue) { _ in
                continuation.yield(.changed)
            }
        }
        defer { watchers?.forEach { $0.cancel() } }
        let timer = Task { [polling = watchers == nil] in
            if polling {
                while clock.now.advanced(by: .milliseconds(500)) < deadline {
                    try await Task.sleep(for: .milliseconds(500), clock: clock)
                    continuation.yield(.changed)
                }
            }
            try await Task.sleep(until: deadline, clock: clock)
            continuation.yield(.deadline)
        }
        defer { timer.cancel() }
        var wakeUp = WakeUp.changed
        var iterator = wakeUps.makeAsyncIterator()
        while true {
            if FileManager.default.fileExists(atPath: layout.done(self.id)) {
                print("\(self.id): done (\(layout.done(self.id)))")
                return
            }
            if FileManager.default.fileExists(atPath: layout.failed(self.id)) {
                let errorPath = JobDirectory(layout.failed(self.id)).error
                if let data = FileManager.default.contents(atPath: errorPath),
                    let error = try? JSONDecoder().decode(JobError.self, from: data)
                {
                    print("\(self.id): failed: \(error.description)")
                } else {
                    print("\(self.id): failed (\(layout.failed(self.id)))")
                }
                throw ExitCode(1)
            }
            if wakeUp == .deadline || clock.now >= deadline {
                print("\(self.id): still not finished after \(self.timeout)s")
                throw ExitCode(2)
            }
            wakeUp = await iterator.next() ?? .deadline
        }
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one job: its state and its result, error or progress.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued, .done, .failed))
    var id: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let layout = try self.spoolOptions.layout()
        func load<T: Decodable>(_ type: T.Type, _ path: String) -> T? {
            FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(type, from: $0) }
        }
        if let result = load(ResultSummary.self, layout.done(self.id) + "/result.json") {
            if self.json { return try printJSON(result) }
            print("\(self.id): done in \(layout.done(self.id))")
            ResultView.lines(result, directory: layout.done(self.id)).forEach { print($0) }
        } else if FileManager.default.fileExists(atPath: layout.failed(self.id)) {
            let error = load(JobError.self, layout.failed(self.id) + "/error.json")
            if self.json { return try printJSON(error) }
            print("\(self.id): failed in \(layout.failed(self.id))")
            print(error?.description ?? "(no error.json)")
        } else if let progress = load(ProgressReport.self, layout.active(self.id) + "/progress.json") {
            if self.json { return try printJSON(progress) }
            print("\(self.id): active, " + Status.progressLine(progress, bar: false))
        } else if FileManager.default.fileExists(atPath: layout.active(self.id)) {
            print("\(self.id): active (starting)")
        } else if [self.id, self.id + ".json"].contains(where: { FileManager.default.fileExists(atPath: layout.path("incoming", $0)) }) {
            print("\(self.id): queued")
        } else {
            throw ValidationError("no job \(self.id) in \(layout.root)")
        }
    }
}

/// Job ids in a spool directory. A submitter may pass through active/, done/ and failed/ but not list them: then
/// say so once, and how to see one's own jobs.
enum SpoolListing {
    nonisolated(unsafe) private static var told = false

    static func names(in directory: String) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { !SpoolLayout.isIgnored($0) }.sorted()
        } catch {
            if access(directory, R_OK) != 0 && errno == EACCES && !Self.told {
                Self.told = true
                FileHandle.standardError.write(Data(("enrichctl: \(directory) is not listed for you (only the daemon's "
                    + "operators see every job); ask for your own jobs by id: enrichctl show ID, status ID, report ID\n").utf8))
            }
            return []
        }
    }
}
