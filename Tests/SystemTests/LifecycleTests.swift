import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Poison jobs are set aside instead of crash-looping the service; failed jobs are requeued by enrichctl retry.
@Suite struct LifecycleTests {
    static let token = "lifecycle-token-\(UUID().uuidString)"

    @Test func aPoisonJobIsSetAsideAndARetriedJobCompletes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sandbox = try SandboxServer(["--seed", "2", "--companies", "300", "--token", Self.token, "--rate", "500"])
        defer { sandbox.stop() }
        let sample = try ChildProcess.run(BuiltProducts.sandbox, ["sample", "--seed", "2", "--companies", "300",
                                                                   "--accounts", "40", "--contacts", "0",
                                                                   "--out", directory.file("data")])
        #expect(sample.status == 0)
        try directory.write("token", Self.token, mode: 0o600)
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        try directory.write("enrichd.json", """
            {"spool": "\(layout.root)", "connections": {"default": {"baseURL": "\(sandbox.baseURL)",
             "dataSharingConsent": true, "tokenFile": "\(directory.file("token"))", "ratePerSecond": 500}}}
            """)
        let job = """
            {"name": "Lifecycle", "outputTable": "Lifecycle", "connection": "%@",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"}, "mapping": {"primary": {"companyName": "Name"}}}
            """
        // A job that was active across three daemon starts without any progress: the next start sets it aside.
        try FileManager.default.createDirectory(atPath: layout.active("poison"), withIntermediateDirectories: true)
        try directory.write("spool/active/poison/job.json", String(format: job, "default"))
        try FileManager.default.copyItem(atPath: directory.file("data/accounts.csv"), toPath: layout.active("poison") + "/accounts.csv")
        try directory.write("spool/active/poison/starts", "3 0\n")
        // A job that fails for a reason an operator can fix (its connection is missing), then is retried.
        try FileManager.default.createDirectory(atPath: directory.file("retry"), withIntermediateDirectories: true)
        try directory.write("retry/job.json", String(format: job, "later"))
        try FileManager.default.copyItem(atPath: directory.file("data/accounts.csv"), toPath: directory.file("retry/accounts.csv"))
        #expect(rename(directory.file("retry"), layout.path("incoming", "retry")) == 0)

        let daemon = try ChildProcess(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json")])
        defer { daemon.terminate() }
        #expect(try SpoolWaiter.wait(for: "poison", in: layout, timeout: 60) == .failed)
        let poison = try String(contentsOfFile: layout.failed("poison") + "/error.json", encoding: .utf8)
        #expect(poison.contains("poisonJob") && poison.contains("enrichctl retry poison"))
        #expect(try SpoolWaiter.wait(for: "retry", in: layout, timeout: 60) == .failed)

        // The operator fixes the descriptor in place and requeues it; outputs and reports go, inputs stay.
        try directory.write("spool/failed/retry/job.json", String(format: job, "default"))
        let retry = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", layout.root, "retry"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try SpoolWaiter.wait(for: "retry", in: layout, timeout: 60) == .done, "\(daemon.standardError())")
        #expect(!FileManager.default.fileExists(atPath: layout.done("retry") + "/error.json"))
        #expect(FileManager.default.fileExists(atPath: layout.done("retry") + "/Lifecycle.csv"))
        // A finished job is not retried.
        let again = try ChildProcess.run(BuiltProducts.enrichctl, ["retry", "--spool", layout.root, "retry"])
        #expect(again.status != 0 && again.stderr.contains("only failed or cancelled jobs are retried"))
    }
}
