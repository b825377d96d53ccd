import Dispatch
import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Poison jobs are set aside instead of crash-looping the service; failed jobs are requeued by enrichctl retry.
@Suite struct LifecycleTests {
    @Test func aPoisonJobIsSetAsideAndARetriedJobCompletes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 2, companies: 300, sandboxOptions: ["--rate", "500"])
        defer { world.stop() }
        let layout = world.layout
        let data = try world.sample(accounts: 40, into: "data")
        try world.configure(ratePerSecond: 500)
        let job = """
            {"name": "Lifecycle", "outputTable": "Lifecycle", "connection": "%@",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"}, "mapping": {"primary": {"companyName": "Name"}}}
            """
        // A job that was active across three daemon starts without any progress: the next start sets it aside.
        try FileManager.default.createDirectory(atPath: layout.active("poison"), withIntermediateDirectories: true)
        try Data(String(format: job, "default").utf8).write(to: URL(fileURLWithPath: layout.active("poison") + "/job.json"))
        try FileManager.default.copyItem(atPath: data + "/accounts.csv", toPath: layout.active("poison") + "/accounts.csv")
        try Data("3 0\n".utf8).write(to: URL(fileURLWithPath: layout.active("poison") + "/starts"))
        // A job that fails for a reason an operator can fix (its connection is missing), then is retried.
        try world.write("retry/job.json", String(format: job, "later"))
        try FileManager.default.copyItem(atPath: data + "/accounts.csv", toPath: world.file("retry/accounts.csv"))
        #expect(rename(world.file("retry"), layout.path("incoming", "retry")) == 0)

        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        #expect(try SpoolWaiter.wait(for: "poison", in: layout, timeout: 60) == .failed)
        let poison = try String(contentsOfFile: layout.failed("poison") + "/error.json", encoding: .utf8)
        #expect(poison.contains("poisonJob") && poison.contains("enrichctl retry poison"))
        #expect(try SpoolWaiter.wait(for: "retry", in: layout, timeout: 60) == .failed)

        // The operator fixes the descriptor in place and requeues it; outputs and reports go, inputs stay.
        try Data(String(format: job, "default").utf8).write(to: URL(fileURLWithPath: layout.failed("retry") + "/job.json"))
        let retry = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", layout.root, "retry"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try SpoolWaiter.wait(for: "retry", in: layout, timeout: 60) == .done, "\(daemon.logTail())")
        #expect(!FileManager.default.fileExists(atPath: layout.done("retry") + "/error.json"))
        #expect(FileManager.default.fileExists(atPath: layout.done("retry") + "/Lifecycle.csv"))
        // A finished job is not retried.
        let again = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", layout.root, "retry"])
        #expect(again.status != 0 && again.stderr.contains("only failed or cancelled jobs are retried"))
    }

    /// A job that cannot reach done/ goes to failed/ saying why; one that can reach neither stays in active/,
    /// reported in STATUS=, and frees its slot (with one slot, the next job still runs); after the spool is
    /// repaired, a restart finishes it.
    @Test func aJobThatCannotLeaveActiveIsReportedAndFreesItsSlot() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 3, companies: 200, sandboxOptions: ["--rate", "500"])
        defer { world.stop() }
        let layout = world.layout
        let data = try world.sample(accounts: 20, into: "data")
        try world.configure(ratePerSecond: 500, maxActiveJobs: 1)
        try world.write("job/job.json", """
            {"name": "Stuck", "outputTable": "Stuck", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        try FileManager.default.copyItem(atPath: data + "/accounts.csv", toPath: world.file("job/accounts.csv"))
        /// A spool directory replaced by a plain file: renames into it fail (ENOTDIR), for root too.
        func block(_ name: String) throws {
            let path = layout.path(name)
            try FileManager.default.removeItem(atPath: path)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
        func unblock(_ name: String) throws {
            try FileManager.default.removeItem(atPath: layout.path(name))
            try FileManager.default.createDirectory(atPath: layout.path(name), withIntermediateDirectories: false)
        }
        /// Queued by hand (enrichctl submit checks the spool's directories, and would refuse the broken one).
        func queue(_ id: String) throws {
            try FileManager.default.copyItem(atPath: world.file("job"), toPath: world.file("stage-\(id)"))
            // One output table each: a restart resumes every stranded job at once.
            let descriptor = try String(contentsOfFile: world.file("stage-\(id)/job.json"), encoding: .utf8)
            try Data(descriptor.replacingOccurrences(of: "\"Stuck\"", with: "\"Stuck_\(id)\"").utf8)
                .write(to: URL(fileURLWithPath: world.file("stage-\(id)/job.json")))
            #expect(rename(world.file("stage-\(id)"), layout.path("incoming", id)) == 0)
        }
        var daemon = try world.startDaemon()
        defer { daemon.stop() }
        try block("done")
        for id in ["first", "second"] { try queue(id) }
        /// Waits (inotify on failed/, bounded) for a job to reach failed/ while done/ is not a directory.
        func waitFailed(_ id: String) throws -> Bool {
            let semaphore = DispatchSemaphore(value: 0)
            let watcher = try InotifyWatcher(directory: layout.failed, mask: [.movedTo, .create],
                                             queue: DispatchQueue(label: "test.failed")) { _ in semaphore.signal() }
            defer { watcher.cancel() }
            let deadline = DispatchTime.now() + 60
            while !FileManager.default.fileExists(atPath: layout.failed(id)) {
                if semaphore.wait(timeout: deadline) == .timedOut { return false }
            }
            return true
        }
        for id in ["first", "second"] {
            #expect(try waitFailed(id), "\(daemon.logTail())")
            let error = try SpoolInspection.jsonObject(layout.failed(id) + "/error.json")
            #expect(error["code"] as? String == "writeFailed"
                    && (error["message"] as? String)?.contains("cannot move the job to done/") == true, "\(error)")
        }

        try block("failed")
        for id in ["third", "fourth"] { try queue(id) }
        let status = daemon.notifications.next(until: { $0.contains("STATUS=") && $0.contains("2 stranded") }, timeout: 60)
        #expect(status != nil, "no STATUS= named the stranded jobs: \(daemon.notifications.all.suffix(5)) \(daemon.logTail())")
        for id in ["third", "fourth"] {
            #expect(FileManager.default.fileExists(atPath: layout.active(id) + "/job.json"), "\(id) left active/")
        }
        #expect(daemon.child.isRunning)

        daemon.stop()
        try unblock("done")
        try unblock("failed")
        daemon = try world.startDaemon()
        for id in ["third", "fourth"] {
            #expect(try SpoolWaiter.wait(for: id, in: layout, timeout: 60) == .done, "\(daemon.logTail())")
        }
    }

    /// `enrichctl cancel` refuses a job that is neither queued nor active, and a cancel request older than the
    /// job's arrival in incoming/ (left for a job that then failed and was retried) is stale: the retry runs.
    @Test func aCancelNeverOutlivesTheJobItNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 5, companies: 200, sandboxOptions: ["--rate", "500"])
        defer { world.stop() }
        let layout = world.layout
        let data = try world.sample(accounts: 20, into: "data")
        try world.configure(ratePerSecond: 500)
        let job = """
            {"name": "Again", "outputTable": "Again", "connection": "%@",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"}, "mapping": {"primary": {"companyName": "Name"}}}
            """
        try world.write("job/job.json", String(format: job, "missing"))
        try FileManager.default.copyItem(atPath: data + "/accounts.csv", toPath: world.file("job/accounts.csv"))
        var daemon = try world.startDaemon()
        defer { daemon.stop() }
        try world.submit(world.file("job/job.json"), id: "again")
        #expect(try SpoolWaiter.wait(for: "again", in: layout, timeout: 60) == .failed)
        for (id, says) in [("again", "has failed"), ("nosuch", "no queued or active job")] {
            let cancel = try ChildProcess.run(BuiltProducts.enrichctl, ["cancel", "--spool", layout.root, id])
            #expect(cancel.status != 0 && cancel.stderr.contains(says), "\(cancel.stdout) \(cancel.stderr)")
            #expect(!FileManager.default.fileExists(atPath: layout.path("control", "cancel-\(id)")))
        }

        // A request an older enrichctl (or a hand) left while the daemon was down, then the job is fixed and retried.
        daemon.stop()
        let request = layout.path("control", "cancel-again")
        #expect(FileManager.default.createFile(atPath: request, contents: Data()))
        var past = [timeval(tv_sec: time(nil) - 120, tv_usec: 0), timeval(tv_sec: time(nil) - 120, tv_usec: 0)]
        #expect(utimes(request, &past) == 0)
        try Data(String(format: job, "default").utf8).write(to: URL(fileURLWithPath: layout.failed("again") + "/job.json"))
        let retry = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", layout.root, "again"])
        #expect(retry.status == 0, "\(retry.stderr)")
        daemon = try world.startDaemon()
        #expect(try SpoolWaiter.wait(for: "again", in: layout, timeout: 60) == .done, "\(daemon.logTail())")
        #expect(daemon.log.contains("stale cancel request ignored"))
        #expect(!FileManager.default.fileExists(atPath: request))
    }
}
