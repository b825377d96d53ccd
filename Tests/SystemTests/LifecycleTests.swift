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
}
