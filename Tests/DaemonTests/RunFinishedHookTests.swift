import Foundation
import Jobs
import Spool
import Testing

@testable import EnrichDaemon

/// Which hooks run and which wait: a bound on how many run at once and on how many may wait.
struct HookQueueTests {
    @Test func atMostTheLimitRunAndTheRestWaitInOrder() {
        var queue = HookQueue<String>(limit: 2, backlog: 3)
        var started: [String] = []
        for job in ["a", "b", "c", "d"] {
            if case .start(let item) = queue.submit(job) { started.append(item) }
        }
        #expect(started == ["a", "b"] && queue.running == 2 && queue.waiting == ["c", "d"])
        #expect(queue.finished() == "c" && queue.running == 2)
        #expect(queue.finished() == "d")
        #expect(queue.finished() == nil && queue.running == 1 && !queue.isIdle)
        #expect(queue.finished() == nil && queue.isIdle)
    }

    @Test func aFullBacklogDropsTheNewHook() {
        var queue = HookQueue<Int>(limit: 1, backlog: 1)
        guard case .start(1) = queue.submit(1), case .wait = queue.submit(2), case .drop(3) = queue.submit(3) else {
            Issue.record("expected start, wait, drop")
            return
        }
        #expect(queue.waiting == [2])
    }

    @Test func stoppingStartsNothingMore() {
        var queue = HookQueue<Int>(limit: 1, backlog: 4)
        _ = queue.submit(1)
        _ = queue.submit(2)
        _ = queue.submit(3)
        #expect(queue.stop() == [2, 3])
        guard case .drop(4) = queue.submit(4) else {
            Issue.record("a hook was admitted after stop")
            return
        }
        #expect(queue.finished() == nil && queue.isIdle)
    }
}

/// What a hook is told about a finished job, read from the spool, and the environment it gets.
struct RunFinishedHookRunTests {
    static func spool() throws -> (SpoolLayout, String) {
        var template = Array("/tmp/enrichd-hook-run.XXXXXX".utf8CString)
        let root = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        let layout = SpoolLayout(root: root)
        try layout.create()
        return (layout, root)
    }

    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func eachWayAJobEndsIsReadWithTheWordsOfResultAndErrorFiles() throws {
        let (layout, root) = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let descriptor = #"{"name": "EMEA Q4", "enrichment": "weekly", "outputTable": "T"}"#
        for (id, state) in [("ok", "succeeded"), ("warned", "completedWithWarnings"), ("stopped", "cancelled")] {
            try Self.write(layout.done(id) + "/job.json", descriptor)
            try Self.write(layout.done(id) + "/result.json", #"{"id": "\#(id)", "state": "\#(state)"}"#)
        }
        try Self.write(layout.failed("broken") + "/job.json", #"{"name": "Half a job", "outputTable": "#)
        try Self.write(layout.failed("broken") + "/error.json", #"{"code": "invalidJSON", "message": "invalid JSON"}"#)
        try Self.write(layout.failed("unwanted") + "/job.json", #"{"name": "Unwanted", "enrichment": "../up"}"#)
        try Self.write(layout.failed("unwanted") + "/error.json", #"{"code": "cancelled", "message": "cancelled"}"#)

        let expected: [(id: String, run: RunFinishedHook.Run?)] = [
            ("ok", .init(jobID: "ok", jobName: "EMEA Q4", enrichment: "weekly", state: .succeeded,
                         result: layout.done("ok") + "/result.json", spool: root)),
            ("warned", .init(jobID: "warned", jobName: "EMEA Q4", enrichment: "weekly", state: .completedWithWarnings,
                             result: layout.done("warned") + "/result.json", spool: root)),
            ("stopped", .init(jobID: "stopped", jobName: "EMEA Q4", enrichment: "weekly", state: .cancelled,
                              result: layout.done("stopped") + "/result.json", spool: root)),
            // The descriptor could not be read: no name, and a failed job points at its error.json.
            ("broken", .init(jobID: "broken", jobName: "", enrichment: "", state: .failed,
                             result: layout.failed("broken") + "/error.json", spool: root)),
            // Cancelled while queued; a name that is not an enrichment's is not passed on.
            ("unwanted", .init(jobID: "unwanted", jobName: "Unwanted", enrichment: "", state: .cancelled,
                               result: layout.failed("unwanted") + "/error.json", spool: root)),
            ("nowhere", nil),
        ]
        for (id, run) in expected {
            #expect(RunFinishedHook.Run.read(jobID: id, layout: layout) == run, "\(id)")
        }
    }

    @Test func theEnvironmentIsTheRunsAndNothingOfTheDaemonsButPathAndLocale() {
        let run = RunFinishedHook.Run(jobID: "weekly-1", jobName: "Weekly accounts", enrichment: "weekly",
                                      state: .failed, result: "/spool/failed/weekly-1/error.json", spool: "/spool")
        let daemon = [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/var/lib/enrichd", "NOTIFY_SOCKET": "/run/systemd/notify",
            "CREDENTIALS_DIRECTORY": "/run/credentials/enrichd.service", "INVOCATION_ID": "abc",
            "LEADSPACE_TOKEN": "ls-secret", "JOURNAL_STREAM": "8:123", "WATCHDOG_USEC": "60000000",
        ]
        #expect(run.environment(inheriting: daemon) == [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "ENRICHD_JOB_ID": "weekly-1", "ENRICHD_JOB_NAME": "Weekly accounts", "ENRICHD_ENRICHMENT": "weekly",
            "ENRICHD_STATE": "failed", "ENRICHD_RESULT": "/spool/failed/weekly-1/error.json", "ENRICHD_SPOOL": "/spool",
        ])
        let bare = run.environment(inheriting: ["LC_ALL": "de_DE.UTF-8", "PATH": ""])
        #expect(bare["PATH"] == RunFinishedHook.Run.defaultPath && bare["LC_ALL"] == "de_DE.UTF-8" && bare["LANG"] == nil)
    }
}
