import ArgumentParser
import EnrichDaemon
import Enrichment
import Foundation
import Spool

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List queued, active, done and failed jobs.")

    @OptionGroup var spoolOptions: SpoolOptions

    func run() throws {
        let layout = try self.spoolOptions.layout()
        for (state, directory) in [("queued", layout.incoming), ("active", layout.active), ("done", layout.done),
                                   ("failed", layout.failed)] {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { !SpoolLayout.isIgnored($0) }.sorted()
            for name in names {
                let attributes = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name))
                let age = (attributes?[.modificationDate] as? Date).map { Self.age(since: $0) } ?? "?"
                print("\(state.padding(toLength: 7, withPad: " ", startingAt: 0)) \(age.padding(toLength: 6, withPad: " ", startingAt: 0)) \(name)")
            }
        }
    }

    static func age(since date: Date) -> String {
        let seconds = Int(Date().timeIntervalSince(date))
        switch seconds {
        case ..<60: return "\(max(0, seconds))s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the progress of active jobs.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "A job id (default: all active jobs).")
    var id: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let layout = try self.spoolOptions.layout()
        let ids = self.id.map { [$0] } ?? ((try? FileManager.default.contentsOfDirectory(atPath: layout.active)) ?? [])
            .filter { !SpoolLayout.isIgnored($0) }.sorted()
        let queued = SpoolClaimer(layout: layout).queued().count
        var reports: [ProgressReport] = []
        for id in ids {
            let path = (layout.active(id) as NSString).appendingPathComponent("progress.json")
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
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
            return
        }
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

struct Wait: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait until a job is done or failed (inotify, no polling); exit 0 when done, 1 when failed.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.")
    var id: String

    @Option(name: .long, help: "Give up after this many seconds (exit 2).")
    var timeout: Double = 3600

    func run() throws {
        let layout = try self.spoolOptions.layout()
        let semaphore = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "enrichctl.wait")
        let handler: @Sendable ([InotifyEvent]) -> Void = { _ in semaphore.signal() }
        // Watch first, then look: a job finishing in between is seen by the look.
        let watchers = try [layout.done, layout.failed].map {
            try InotifyWatcher(directory: $0, mask: [.movedTo, .create], queue: queue, handler: handler)
        }
        defer { watchers.forEach { $0.cancel() } }
        let deadline = DispatchTime.now() + self.timeout
        while true {
            if FileManager.default.fileExists(atPath: layout.done(self.id)) {
                print("\(self.id): done (\(layout.done(self.id)))")
                return
            }
            if FileManager.default.fileExists(atPath: layout.failed(self.id)) {
                let errorPath = (layout.failed(self.id) as NSString).appendingPathComponent("error.json")
                if let data = FileManager.default.contents(atPath: errorPath),
                    let error = try? JSONDecoder().decode(JobError.self, from: data)
                {
                    print("\(self.id): failed: \(error.description)")
                } else {
                    print("\(self.id): failed (\(layout.failed(self.id)))")
                }
                throw ExitCode(1)
            }
            if semaphore.wait(timeout: deadline) == .timedOut {
                print("\(self.id): still not finished after \(self.timeout)s")
                throw ExitCode(2)
            }
        }
    }
}
