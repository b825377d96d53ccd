import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Issue 10, item 3: the Leadspace token never leaves the daemon — not in its log, its STATUS= lines, progress.json,
/// result.json, errors.csv, report.html, error.json, nor anywhere else in the spool — also when Leadspace refuses
/// it (401) or the credits run out (427). And a token file others can read is refused.
@Suite struct SecretsTests {
    static let token = "SECRET-TOKEN-\(UUID().uuidString)"
    static let refusedToken = "SECRET-TOKEN-REFUSED-\(UUID().uuidString)"
    static let oauthSecret = "SECRET-OAUTH-\(UUID().uuidString)"
    static var secrets: [String] { [Self.token, Self.refusedToken, Self.oauthSecret] }

    /// The secrets found in `data` (none, hopefully).
    static func leaks(in data: Data) -> [String] {
        self.secrets.filter { data.range(of: Data($0.utf8)) != nil }
    }

    /// Every regular file under `root` (symlinks not followed) that contains a secret, with which.
    static func leaks(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return ["\(root): cannot list"] }
        var found: [String] = []
        while let entry = enumerator.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(entry)
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            let leaked = self.leaks(in: data)
            if !leaked.isEmpty { found.append("\(entry): \(leaked)") }
        }
        return found
    }

    func job(_ directory: TemporaryDirectory, _ layout: SpoolLayout, id: String, accounts: Int, connection: String) throws {
        let staged = layout.path("tmp", id)
        try SampleBundle.write(to: staged, seed: 3, companies: 300, accounts: accounts, connection: connection,
                               outputTable: "Secret_\(id)", name: "secrets \(id)")
        for extra in ["contacts.csv", "contacts_truth.csv", "truth.csv"] { unlink(staged + "/" + extra) }
        #expect(rename(staged, layout.path("incoming", id)) == 0)
    }

    @Test func theTokenAppearsNowhere() throws {
        let directory = try TemporaryDirectory("enrichd-secrets")
        defer { if !keepTestDirectories { directory.remove() } }
        let sandbox = try SandboxServer(["--seed", "3", "--companies", "300", "--token", Self.token,
                                         "--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"],
                                        stderrPath: directory.file("sandbox.log"))
        defer { sandbox.stop() }
        let poor = try SandboxServer(["--seed", "3", "--companies", "300", "--token", Self.token, "--credits", "20",
                                      "--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"],
                                     stderrPath: directory.file("sandbox-poor.log"))
        defer { poor.stop() }
        try directory.write("config/token", Self.token + "\n", mode: 0o600)
        try directory.write("config/refused.token", Self.refusedToken + "\n", mode: 0o600)
        // Not used by this test's connections (see the OAuth test); it must not leak either.
        try directory.write("config/oauth.secret", Self.oauthSecret + "\n", mode: 0o600)
        let spool = directory.file("spool")
        let layout = SpoolLayout(root: spool)
        try layout.create()
        func connection(_ base: String, _ tokenFile: String) -> String {
            """
            {"baseURL": "\(base)", "dataSharingConsent": true, "tokenFile": "\(directory.file(tokenFile))", \
            "ratePerSecond": 500, "maxInFlight": 8, "probeIntervalSeconds": 1}
            """
        }
        try directory.write("config/enrichd.json", """
            {"spool": "\(spool)", "maxActiveJobs": 8,
             "connections": {"default": \(connection(sandbox.baseURL, "config/token")),
                             "refused": \(connection(sandbox.baseURL, "config/refused.token")),
                             "credits": \(connection(poor.baseURL, "config/token"))}}
            """)

        let daemon = try DaemonIncarnation(configuration: directory.file("config/enrichd.json"),
                                           socketPath: directory.file("notify.sock"), logPath: directory.file("enrichd.log"))
        defer { daemon.stop() }

        try self.job(directory, layout, id: "ok", accounts: 30, connection: "default")
        try self.job(directory, layout, id: "refused", accounts: 30, connection: "refused")
        try self.job(directory, layout, id: "credits", accounts: 120, connection: "credits")
        try directory.write("spool/tmp/broken.json", #"{"name": "broken", "outputTable": "Broken", "connection": "default"}"#)
        #expect(rename(layout.path("tmp", "broken.json"), layout.path("incoming", "broken.json")) == 0)

        #expect(try SpoolWaiter.wait(for: "ok", in: layout, timeout: 60) == .done, "\(daemon.logTail())")
        #expect(try SpoolWaiter.wait(for: "broken", in: layout, timeout: 30) == .failed, "\(daemon.logTail())")
        let refusedStatus = daemon.notifications.next(until: { $0.contains("HTTP 401") }, timeout: 30)
        #expect(refusedStatus != nil, "no STATUS= with HTTP 401: \(daemon.notifications.all.suffix(5))\n\(daemon.logTail())")
        #expect(refusedStatus?.last?.contains("Leadspace refused the credentials") == true, "\(refusedStatus?.last ?? "")")
        // STATUS= shows one pause at a time; the credits job's own progress.json shows its pause (rewritten about
        // once a second, so this bounded wait is short).
        let creditsDeadline = Date().addingTimeInterval(30)
        func progressText(_ id: String) -> String {
            String(decoding: FileManager.default.contents(atPath: layout.active(id) + "/progress.json") ?? Data(), as: UTF8.self)
        }
        while Date() < creditsDeadline, !progressText("credits").contains("HTTP 427") || !progressText("refused").contains("HTTP 401") {
            usleep(100_000)
        }
        // While paused the jobs stay active; their progress.json is read live.
        for id in ["refused", "credits"] {
            #expect(FileManager.default.fileExists(atPath: layout.active(id)), "\(id) is not active")
            let progress = try #require(FileManager.default.contents(atPath: layout.active(id) + "/progress.json"),
                                        "\(id): no progress.json while active")
            #expect(Self.leaks(in: progress).isEmpty, "\(id) progress.json: \(String(decoding: progress, as: UTF8.self))")
            #expect(String(decoding: progress, as: UTF8.self).contains("HTTP 4"), "\(id): the pause is shown")
        }
        let status = try ChildProcess.run(BuiltProducts.enrichctl, ["status", "--spool", spool])
        #expect(Self.leaks(in: Data((status.stdout + status.stderr).utf8)).isEmpty, "enrichctl status: \(status.stdout)")

        // Cancelled while paused: done/ID with state "cancelled". The 401 job first: STATUS= then names the other
        // pause, the spent credits (it shows one paused connection's reason at a time).
        for id in ["refused", "credits"] {
            let cancel = try ChildProcess.run(BuiltProducts.enrichctl, ["cancel", "--spool", spool, id])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(Self.leaks(in: Data((cancel.stdout + cancel.stderr).utf8)).isEmpty)
            #expect(try SpoolWaiter.wait(for: id, in: layout, timeout: 60) == .done, "\(daemon.logTail())")
            #expect(try SpoolInspection.jsonObject(layout.done(id) + "/result.json")["state"] as? String == "cancelled")
            if id == "refused" {
                let creditsStatus = daemon.notifications.next(until: { $0.contains("HTTP 427") }, timeout: 15)?.last
                #expect(creditsStatus?.contains("paused: Leadspace credits exhausted (HTTP 427)") == true,
                        "no STATUS= with HTTP 427: \(daemon.notifications.all.suffix(5))\n\(daemon.logTail())")
            }
        }

        let report = try ChildProcess.run(BuiltProducts.enrichctl, ["report", "--spool", spool, "ok"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(Self.leaks(in: Data((report.stdout + report.stderr).utf8)).isEmpty)
        for file in ["result.json", "errors.csv", "report.html", "Secret_ok.csv"] {
            let data = try #require(FileManager.default.contents(atPath: layout.done("ok") + "/" + file), "done/ok/\(file) missing")
            #expect(Self.leaks(in: data).isEmpty, "done/ok/\(file)")
        }
        let errorJSON = try #require(FileManager.default.contents(atPath: layout.failed("broken") + "/error.json"))
        #expect(Self.leaks(in: errorJSON).isEmpty)

        // The sandboxes saw the refused token and ran out of credits: the cases really happened.
        let billed = try poor.recordsBilled()
        #expect(billed >= 20 && billed <= 20, "the poor sandbox billed \(billed) records")

        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 30) == 0, "\(daemon.logTail())")
        let notifications = daemon.notifications.all
        #expect(notifications.contains { $0.contains("STATUS=") })
        for message in notifications {
            #expect(Self.leaks(in: Data(message.utf8)).isEmpty, "STATUS leaked: \(message)")
        }
        #expect(Self.leaks(in: Data(daemon.log.utf8)).isEmpty, "the daemon's stderr contains a secret")
        #expect(daemon.log.contains("401") || daemon.log.contains("refused"), "the 401 was logged at all")
        let spoolLeaks = Self.leaks(under: spool)
        #expect(spoolLeaks.isEmpty, "secrets in the spool: \(spoolLeaks)")
    }

    /// An OAuth connection (program id + secret file): the daemon logs in, refreshes when Leadspace no longer
    /// takes its token, and logs in again when the refresh is refused too. Each job completes without an error
    /// row, and neither the secret nor any token Leadspace issued (access `lsat_…`, refresh `lsrt_…`) appears in
    /// the daemon's debug log, its STATUS= lines, enrichctl's output or the spool.
    @Test func anOAuthConnectionRefreshesLogsInAgainAndItsSecretsAppearNowhere() throws {
        let directory = try TemporaryDirectory("enrichd-oauth")
        defer { if !keepTestDirectories { directory.remove() } }
        let program = "enrichd-oauth-test"
        let world = try SystemWorld(in: directory, seed: 3, companies: 300,
                                    sandboxOptions: ["--oauth-program", program, "--oauth-secret", Self.oauthSecret,
                                                     "--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let (sandbox, layout) = (world.sandbox, world.layout)
        let companies = try CSVFile(path: world.export()).rows
        let secretFile = try directory.write("oauth.secret", Self.oauthSecret + "\n", mode: 0o600)
        try world.writeConfiguration("""
            {"spool": "\(layout.root)", "logLevel": "debug",
             "connections": {"default": {"baseURL": "\(sandbox.baseURL)", "dataSharingConsent": true,
                                         "programId": "\(program)", "secretFile": "\(secretFile)",
                                         "ratePerSecond": 500, "maxInFlight": 8}}}
            """)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let issued = ["lsat_", "lsrt_"]
        func leaks(in data: Data) -> [String] {
            Self.leaks(in: data) + issued.filter { data.range(of: Data($0.utf8)) != nil }
        }

        // Jobs on disjoint companies (an answer is shared with later jobs for a while; each job must reach
        // Leadspace). Before the first the daemon logs in; before the second Leadspace expires every token (→ a
        // refresh); before the third it forgets every session (→ the refresh is refused → a new login).
        for (index, id) in ["login", "refresh", "relogin"].enumerated() {
            if id == "refresh" { try sandbox.post("/sandbox/oauth/expire") }
            if id == "relogin" { try sandbox.post("/sandbox/oauth/revoke") }
            var accounts = "CustomerId,Name,Website,Country,City\n"
            for company in companies[(index * 60)..<((index + 1) * 60)] {
                let name = "\"" + company["Name"]!.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                accounts += "\(company["CompanyId"]!),\(name),\(company["Domain"]!),\(company["Country"]!),\(company["City"]!)\n"
            }
            let bundle = try world.write("jobs/\(id)/accounts.csv", accounts)
            let folder = (bundle as NSString).deletingLastPathComponent
            try SampleBundle.writeDescriptor(to: folder, connection: "default", outputTable: "OAuth_\(id)", name: "OAuth \(id)")
            try world.submit(folder + "/job.json", id: id)
            #expect(try SpoolWaiter.wait(for: id, in: layout, timeout: 60) == .done, "\(daemon.logTail())")
            let output = try CSVFile(path: layout.done(id) + "/OAuth_\(id).csv")
            #expect(output.rows.count == 60)
            #expect(output.rows.allSatisfy { $0["EnrichmentStatus"] == "Enriched" },
                    "\(id): \(output.rows.filter { $0["EnrichmentStatus"] != "Enriched" }.prefix(3))")
        }
        let requests = try #require(try sandbox.stats()["requests"] as? [String: Int])
        #expect(requests["oauth"] == 4, "login, refresh, refused refresh, login: \(requests)")
        #expect(requests["single"] ?? 0 > 180, "requests refused with an old token were sent again: \(requests)")

        let report = try ChildProcess.run(BuiltProducts.enrichctl, ["report", "--spool", layout.root, "relogin"])
        let status = try ChildProcess.run(BuiltProducts.enrichctl, ["status", "--spool", layout.root])
        #expect(leaks(in: Data((report.stdout + report.stderr + status.stdout + status.stderr).utf8)).isEmpty)
        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 30) == 0, "\(daemon.logTail())")
        #expect(daemon.log.contains("Leadspace OAuth token obtained"), "the debug log was on")
        #expect(leaks(in: Data(daemon.log.utf8)).isEmpty, "the daemon's log contains a secret")
        for message in daemon.notifications.all {
            #expect(leaks(in: Data(message.utf8)).isEmpty, "STATUS leaked: \(message)")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: layout.root) else { return }
        while let entry = enumerator.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: layout.root + "/" + entry) else { continue }
            #expect(leaks(in: data).isEmpty, "\(entry) contains a secret")
        }
    }

    @Test func aTokenFileOthersCanReadIsRefused() throws {
        let directory = try TemporaryDirectory("enrichd-secrets-mode")
        defer { directory.remove() }
        let spool = directory.file("spool")
        try SpoolLayout(root: spool).create()
        for mode in [0o640, 0o604, 0o644] {
            try directory.write("token", Self.token, mode: mode)
            chmod(directory.file("token"), mode_t(mode))
            try directory.write("enrichd.json", DaemonConfigurationText.render(spool: spool, connections: [
                .init(baseURL: "http://127.0.0.1:9", tokenFile: directory.file("token")),
            ]))
            let daemon = try ChildProcess(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json")])
            let status = daemon.wait(timeout: 30)
            if status == nil { daemon.signal(SIGKILL); daemon.wait() }
            #expect(status == 78, "mode \(String(mode, radix: 8)): exit \(String(describing: status)): \(daemon.standardError())")
            #expect(daemon.standardError().contains("chmod 600"), "mode \(String(mode, radix: 8)): \(daemon.standardError())")
            #expect(Self.leaks(in: Data(daemon.standardError().utf8)).isEmpty)
            let check = try ChildProcess.run(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json"), "--check-config"])
            #expect(check.status == 78 && check.stderr.contains("chmod 600"), "--check-config: \(check.status) \(check.stderr)")
        }
    }
}
