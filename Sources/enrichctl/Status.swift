import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

struct List: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "List queued, active, done and failed jobs: state, age, id and name.",
        discussion: """
            The age is the time since the job entered its state: since it was submitted (queued), started \
            (active) or finished. Queued jobs come in the order the daemon claims them, the others oldest first. \
            --json gives each job's state, place, names, timestamps (ISO 8601 UTC) and ageSeconds.
            """)

    @OptionGroup var spoolOptions: SpoolOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let layout = try self.spoolOptions.layout()
        let inspector = JobInspector(layout: layout)
        var jobs = inspector.queued()
        for (place, directory) in [(JobSnapshot.Place.active, layout.active), (.done, layout.done), (.failed, layout.failed)] {
            jobs += inspector.jobs(in: place, names: SpoolListing.names(in: directory))
                .sorted { ($0.ageSeconds ?? 0) > ($1.ageSeconds ?? 0) }
        }
        if self.json { return try printJSON(jobs.map(\.brief)) }
        guard !jobs.isEmpty else { return Console.print("no jobs in \(layout.root)") }
        let states = jobs.map(\.state.words)
        let ages = jobs.map { $0.ageSeconds.map { NumberText.age(seconds: $0) } ?? "?" }
        let stateWidth = max(5, states.map(Console.columns).max() ?? 0)
        let ageWidth = max(3, ages.map(Console.columns).max() ?? 0)
        let idWidth = max(2, jobs.map { Console.columns($0.id) }.max() ?? 0)
        let width = Console.width
        func row(_ state: String, _ age: String, _ id: String, _ name: String) {
            let line = Console.cell(state, width: stateWidth) + "  " + Console.cell(age, width: ageWidth) + "  "
                + Console.cell(id, width: idWidth) + "  " + name
            Console.print(Console.fit(line.trimmingTrailingSpaces, width: width))
        }
        row("STATE", "AGE", "ID", "NAME")
        for (index, job) in jobs.enumerated() {
            row(states[index], ages[index], job.id, job.name ?? "")
        }
    }
}

struct Status: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show jobs' progress: the active ones and the queue, or one job wherever it is.",
        discussion: """
            With an id, the job is shown wherever it is: queued (with the number of jobs ahead of it), active \
            (phase, progress, rate; why it is paused), or finished (its result's headline or its error). \
            --follow keeps showing progress until the job ends (without an id: until no job is active or queued), \
            then prints each finished job's headline; it exits 1 when one of them failed or was cancelled. \
            --json prints JSON in every case: the job's snapshot with an id, else {"active": [...], "queued": [...]}.
            """)

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "A job id (default: the active and queued jobs).", completion: Completions.jobs(.active, .queued, .done, .failed))
    var id: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Keep showing progress (a bar with rate and ETA on a terminal) until the jobs end.")
    var follow = false

    func validate() throws {
        if let id = self.id, !SpoolLayout.isValidID(id) { throw ValidationError("\"\(id)\" is not a job id") }
        if self.follow && self.json { throw ValidationError("--follow and --json cannot be combined") }
    }

    mutating func run() async throws {
        let layout = try self.spoolOptions.layout()
        if self.follow { return try await Self.follow(id: self.id, layout: layout) }
        let inspector = JobInspector(layout: layout)
        if let id = self.id {
            guard let job = inspector.snapshot(id: id) else { throw Self.noSuchJob(id, layout: layout) }
            if self.json { return try printJSON(job) }
            return Console.print(Self.line(job))
        }
        let active = inspector.jobs(in: .active, names: SpoolListing.names(in: layout.active))
        let queued = inspector.queued()
        if self.json { return try printJSON(["active": active, "queued": queued]) }
        Console.print("\(active.count) active, \(queued.count) queued")
        for job in active + queued { Console.print("  " + Self.line(job)) }
    }

    static func noSuchJob(_ id: String, layout: SpoolLayout) -> CommandFailure {
        CommandFailure(.noSuchJob, "no job \(id) in \(layout.root) (enrichctl list shows the jobs)")
    }

    /// One job on one line, whatever its state:
    /// `EMEA_Q4-…  EMEA Q4  enriching  41.0% (1,234/3,000 lookups)  29.8 lookups/s  ETA 1m02s`,
    /// `NA-…  NA  queued 12s, 2 ahead`, `EMEA_Q4-…  EMEA Q4  succeeded 3m ago: Enriched 1,860 of 2,000 profiles (93.0%)`.
    static func line(_ job: JobSnapshot) -> String {
        var line = "\(job.id)  \(job.name ?? "?")  "
        let age = job.ageSeconds.map { NumberText.age(seconds: $0) }
        switch job.state {
        case .queued:
            line += "queued" + (age.map { " \($0)" } ?? "")
            if let ahead = job.queuedAhead { line += ahead == 0 ? ", next" : ", \(ahead) ahead" }
        case .starting:
            line += "starting"
        case .planning, .enriching, .writing, .paused:
            guard let progress = job.progress else { return line + job.state.words }
            line += "\(job.state.words)  \(String(format: "%.1f", progress.percent))% "
                + "(\(NumberText.grouped(progress.answered))/\(NumberText.grouped(progress.lookups)) lookups)"
                + "  \(progress.lookupsPerSecond) lookups/s"
            if let reason = progress.pausedReason { line += "  paused: \(reason)" } else if let eta = Self.eta(progress) { line += "  ETA \(eta)" }
        case .succeeded, .completedWithWarnings, .cancelled, .failed:
            line += job.state.words + (age.map { " \($0) ago" } ?? "") + (job.headline.map { ": \($0)" } ?? "")
        }
        return line
    }

    /// `1m02s` until the lookups left are answered at the current rate; nil when nothing is moving.
    static func eta(_ report: ProgressReport) -> String? {
        guard report.lookupsPerSecond > 0 else { return nil }
        let seconds = Int(Double(max(0, report.lookups - report.answered)) / report.lookupsPerSecond)
        return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
    }

    /// `EMEA Q4 [########------------] 41% 1,234/3,000 29.8/s ETA 1m02s`, or `NA queued, 2 ahead`.
    static func progressLine(_ job: JobSnapshot, bar: Bool) -> String {
        var line = "\(job.name ?? job.id) "
        guard let report = job.progress else {
            if job.state == .queued, let ahead = job.queuedAhead { return line + (ahead == 0 ? "queued, next" : "queued, \(ahead) ahead") }
            return line + job.state.words
        }
        let percent = report.percent
        if bar {
            let filled = min(20, Int((percent / 5).rounded(.down)))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "] "
        }
        line += "\(Int(percent))% \(NumberText.grouped(report.answered))/\(NumberText.grouped(report.lookups)) \(report.lookupsPerSecond)/s"
        if let reason = report.pausedReason { return line + " paused: \(reason)" }
        if let eta = Self.eta(report) { line += " ETA \(eta)" }
        return line
    }

    /// The line printed for a job that ended while followed: `ID: succeeded — Enriched 1,860 of 2,000 profiles (93.0%)`.
    static func endLine(_ job: JobSnapshot) -> String {
        "\(job.id): \(job.state.words)" + (job.headline.map { " — \($0)" } ?? "")
    }

    /// Shows progress once a second until the job ends (or, without an id, until no job is active or queued),
    /// then each ended job's headline; exit status 1 when one failed or was cancelled.
    static func follow(id: String?, layout: SpoolLayout) async throws {
        let terminal = Console.isTerminal
        var followed: [String] = []
        var drawn = 0
        var printed: [String: String] = [:]
        while true {
            let inspector = JobInspector(layout: layout)
            let jobs: [JobSnapshot]
            if let id {
                guard let job = inspector.snapshot(id: id) else { throw Self.noSuchJob(id, layout: layout) }
                jobs = job.state.isFinished ? [] : [job]
            } else {
                jobs = inspector.jobs(in: .active, names: SpoolListing.names(in: layout.active)) + inspector.queued()
            }
            for job in jobs where !followed.contains(job.id) { followed.append(job.id) }
            if jobs.isEmpty { break }
            let lines = jobs.map { Self.progressLine($0, bar: terminal) }
            if terminal {
                // Back to the first line drawn, erase to the end of the screen, draw again (each line fitted, so
                // none wraps and the count stays true).
                let width = Console.width
                let control = "\r" + (drawn > 1 ? "\u{1B}[\(drawn - 1)A" : "") + "\u{1B}[J"
                Console.redraw(control, lines.map { Console.fit($0, width: width - 1) }.joined(separator: "\n"))
                drawn = lines.count
            } else {
                for (job, line) in zip(jobs, lines) where printed[job.id] != line {
                    Console.print(line)
                    printed[job.id] = line
                }
                Console.flush()
            }
            // A refresh tick, not a wait for an event: the rate and ETA change while no file does.
            try await Task.sleep(for: .seconds(1))
        }
        if terminal && drawn > 0 { Console.redraw("\r" + (drawn > 1 ? "\u{1B}[\(drawn - 1)A" : "") + "\u{1B}[J", "") }
        guard !followed.isEmpty else { return Console.print("no active or queued jobs") }
        let inspector = JobInspector(layout: layout)
        var failed = false
        for id in followed {
            guard let job = inspector.snapshot(id: id) else {
                Console.print("\(id): gone from the spool (removed while followed)")
                failed = true
                continue
            }
            Console.print(Self.endLine(job))
            if !job.state.isSuccess { failed = true }
        }
        if failed { throw ExitCode(ExitStatus.jobFailed.rawValue) }
    }
}

struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait until a job ends (inotify; twice a second for a submitter, who may not read done/); exit 0 when it succeeded, 1 when it failed or was cancelled, 2 on --timeout.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued))
    var id: String

    @Option(name: .long, help: "Give up after this many seconds (exit 2).")
    var timeout: Double = 3600

    func validate() throws {
        if !SpoolLayout.isValidID(self.id) { throw ValidationError("\"\(self.id)\" is not a job id") }
    }

    /// Why the wait loop looks again.
    enum WakeUp: Sendable {
        /// Something arrived in done/ or failed/ (or, without inotify, half a second passed).
        case changed
        /// The timeout is over.
        case deadline
    }

    mutating func run() async throws {
        let layout = try self.spoolOptions.layout()
        guard JobInspector(layout: layout).snapshot(id: self.id) != nil else {
            throw Status.noSuchJob(self.id, layout: layout)
        }
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
            let ended = FileManager.default.fileExists(atPath: layout.done(self.id))
                || FileManager.default.fileExists(atPath: layout.failed(self.id))
            if ended, let job = JobInspector(layout: layout).snapshot(id: self.id), job.state.isFinished {
                Console.print(Status.endLine(job))
                if !job.state.isSuccess { throw ExitCode(ExitStatus.jobFailed.rawValue) }
                return
            }
            if wakeUp == .deadline || clock.now >= deadline {
                Console.print("\(self.id): still not finished after \(self.timeout)s")
                throw ExitCode(ExitStatus.timedOut.rawValue)
            }
            wakeUp = await iterator.next() ?? .deadline
        }
    }
}

struct Show: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one job wherever it is: its state and its result, error or progress.",
        discussion: "--json prints the job's snapshot (as status --json ID) with its result.json, error.json or progress.json inside.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued, .done, .failed))
    var id: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        if !SpoolLayout.isValidID(self.id) { throw ValidationError("\"\(self.id)\" is not a job id") }
    }

    func run() throws {
        let layout = try self.spoolOptions.layout()
        guard let job = JobInspector(layout: layout).snapshot(id: self.id) else {
            throw Status.noSuchJob(self.id, layout: layout)
        }
        if self.json { return try printJSON(job) }
        let directory: String = switch job.place {
        case .queued: layout.incoming
        case .active: layout.active(job.id)
        case .done: layout.done(job.id)
        case .failed: layout.failed(job.id)
        }
        if let result = job.result {
            Console.print("\(job.id): \(job.state.words), in \(directory)")
            ResultView.lines(result, directory: directory).forEach(Console.print)
            if let error = job.error { Console.print(error.description) }
        } else if job.place == .failed {
            Console.print("\(job.id): \(job.state.words), in \(directory)")
            Console.print(job.error?.description ?? "(no error.json)")
        } else {
            Console.print(Status.line(job))
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
                Console.error("enrichctl: \(directory) is not listed for you (only the daemon's operators see every job); "
                    + "ask for your own jobs by id: enrichctl show ID, status ID, report ID")
            }
            return []
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
