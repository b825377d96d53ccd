import Dispatch
import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// `hooks.runFinished` through the real daemon: the hook is told about every job that ends (one-off, rejected,
/// a saved enrichment's run, cancelled while queued) and gets nothing secret; a hook that fails or hangs neither
/// changes the job nor holds up the queue, and one that outlives its timeout is killed with everything it started;
/// a program the daemon could not run is refused with its key path, at start and on SIGHUP.
@Suite struct RunFinishedHookTests {
    // MARK: - Waiting for events

    /// Waits (inotify on its directory, bounded) until `path` exists.
    static func waitForFile(_ path: String, timeout: Double = 120) throws -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let watcher = try InotifyWatcher(directory: (path as NSString).deletingLastPathComponent,
                                         mask: [.movedTo, .create], queue: DispatchQueue(label: "test.hook-file")) { _ in
            semaphore.signal()
        }
        defer { watcher.cancel() }
        let deadline = DispatchTime.now() + timeout
        while !FileManager.default.fileExists(atPath: path) {
            if semaphore.wait(timeout: deadline) == .timedOut { return FileManager.default.fileExists(atPath: path) }
        }
        return true
    }

    /// Waits (inotify IN_MODIFY on the log's directory, bounded) until the daemon's log has a line containing every
    /// one of `parts`; returns that line.
    static func waitForLog(_ daemon: DaemonIncarnation, _ parts: String..., timeout: Double = 120) throws -> String? {
        let semaphore = DispatchSemaphore(value: 0)
        let modified = InotifyMask(rawValue: 0x0000_0002)  // IN_MODIFY
        let watcher = try InotifyWatcher(directory: (daemon.logPath as NSString).deletingLastPathComponent,
                                         mask: modified, queue: DispatchQueue(label: "test.hook-log")) { _ in
            semaphore.signal()
        }
        defer { watcher.cancel() }
        let deadline = DispatchTime.now() + timeout
        func line() -> String? {
            daemon.log.split(separator: "\n").first { line in parts.allSatisfy { line.contains($0) } }.map(String.init)
        }
        while true {
            if let found = line() { return found }
            if semaphore.wait(timeout: deadline) == .timedOut { return line() }
        }
    }

    /// Processes in group `pgid` that have not exited (zombies have: they only wait to be reaped).
    static func livingMembers(ofGroup pgid: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.range(of: ")", options: .backwards)
            else { return false }
            // After "pid (comm)": state, ppid, pgrp.
            let fields = stat[end.upperBound...].split(separator: " ")
            return fields.count > 2 && Int32(fields[2]) == pgid && fields[0] != "Z" && fields[0] != "X"
        }
    }

    static func executable(_ world: SystemWorld, _ name: String, _ script: String) throws -> String {
        let path = try world.write("hooks/\(name)", script)
        chmod(path, 0o755)
        return path
    }

    static func enrichctl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(BuiltProducts.enrichctl, arguments)
    }

    /// A one-off job over `bundle` (a sample with its job.json).
    static func makeBundle(_ world: SystemWorld, accounts: Int = 12) throws -> String {
        let bundle = try world.sample(accounts: accounts, into: "data")
        try SampleBundle.writeDescriptor(to: bundle, connection: "default", name: "Hook one-off")
        return bundle
    }

    // MARK: - What the hook is told

    @Test func theHookIsToldAboutEveryJobThatEndsAndGetsNothingSecret() throws {
        let directory = try TemporaryDirectory("enrichd-hook-env")
        defer { if !keepTestDirectories { directory.remove() } }
        let world = try SystemWorld(in: directory, seed: 61, companies: 300,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let bundle = try Self.makeBundle(world)
        let reports = world.file("reports")
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        let hook = try Self.executable(world, "report-env", """
            #!/bin/sh
            # A runFinished hook that writes down its arguments and its whole environment.
            { echo "ARGUMENTS=$*"; env; } > "\(reports)/.$ENRICHD_JOB_ID.tmp"
            mv "\(reports)/.$ENRICHD_JOB_ID.tmp" "\(reports)/$ENRICHD_JOB_ID.env"
            echo "reported $ENRICHD_JOB_ID"
            """)
        try world.configure(ratePerSecond: 500, members: """
            "inputRoots": ["\(bundle)"], "hooks": {"runFinished": {"command": ["\(hook)", "--team", "crm"]}}
            """)
        // What the service has and a hook must not: systemd's credentials and notify socket (the harness sets
        // NOTIFY_SOCKET), and anything else in the daemon's environment.
        let secret = "hook-test-secret-\(UUID().uuidString)"
        let credentials = world.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try world.write("credentials/leadspace-token", world.tokens[0])
        let environment = ["CREDENTIALS_DIRECTORY": credentials, "ENRICHD_TEST_SECRET": secret, "LANG": "C.UTF-8"]
        var daemon = try world.startDaemon(environment: environment)
        defer { daemon.stop() }
        let config = ["--config", world.configurationPath]

        // A one-off job, a job rejected for invalid JSON, and a run of a saved enrichment.
        try world.submit(bundle + "/job.json", id: "one-off")
        let staged = world.layout.root + "/tmp/broken.json"
        try #"{"name": "Broken", "outputTable": "#.write(toFile: staged, atomically: false, encoding: .utf8)
        #expect(rename(staged, world.layout.root + "/incoming/broken.json") == 0)
        try world.write("watched.json", #"""
            {"name": "Watched accounts", "outputTable": "Watched",
             "customers": {"file": "\#(bundle)/accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website"}}}
            """#)
        let created = try Self.enrichctl(["enrichment", "create"] + config + ["--name", "watched", world.file("watched.json")])
        #expect(created.status == 0, "\(created.stderr)")
        let run = try Self.enrichctl(["enrichment", "run"] + config + ["watched"])
        let runID = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(run.status == 0 && runID.hasPrefix("watched-"), "\(run.stderr)")
        for id in ["one-off", "broken", runID] {
            #expect(try Self.waitForFile("\(reports)/\(id).env"), "no hook for \(id); log:\n\(daemon.logTail())")
        }

        // The run has its own MESSAGE_ID, logged before its hook was started.
        let outcome = try world.result(runID)["state"] as? String ?? "?"
        let recorded = daemon.log.split(separator: "\n").first { $0.contains("enrichment run recorded") }.map(String.init) ?? ""
        #expect(recorded.contains("message_id=eef0e4e24a284f39a353cfa28c39563e") && recorded.contains("enrichment=watched")
                    && recorded.contains("job_id=\(runID)") && recorded.contains("outcome=\(outcome)"), "\(recorded)")

        // A job cancelled while it waited in incoming/ (the daemon stopped): it ends when the daemon starts again.
        daemon.child.terminate()
        try world.submit(bundle + "/job.json", id: "queued")
        #expect(try Self.enrichctl(["cancel"] + config + ["queued"]).status == 0)
        daemon = try world.startDaemon(environment: environment)
        #expect(try Self.waitForFile("\(reports)/queued.env"), "no hook for the cancelled job; log:\n\(daemon.logTail())")

        func state(_ id: String) throws -> String { try world.result(id)["state"] as? String ?? "?" }
        let expected: [(id: String, name: String, enrichment: String, state: String, result: String)] = [
            ("one-off", "Hook one-off", "", try state("one-off"), world.layout.done("one-off") + "/result.json"),
            ("broken", "", "", "failed", world.layout.failed("broken") + "/error.json"),
            (runID, "Watched accounts", "watched", try state(runID), world.layout.done(runID) + "/result.json"),
            ("queued", "Hook one-off", "", "cancelled", world.layout.failed("queued") + "/error.json"),
        ]
        let allowed: Set<String> = ["PATH", "LANG", "LC_ALL", "PWD", "OLDPWD", "SHLVL", "_"]
        for (id, name, enrichment, state, result) in expected {
            let text = try String(contentsOfFile: "\(reports)/\(id).env", encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.first == "ARGUMENTS=--team crm", "\(id): \(lines.first ?? "")")
            var variables: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let equals = line.firstIndex(of: "=") else { continue }
                variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            let told = variables.filter { $0.key.hasPrefix("ENRICHD_") }
            #expect(told == [
                "ENRICHD_JOB_ID": id, "ENRICHD_JOB_NAME": name, "ENRICHD_ENRICHMENT": enrichment, "ENRICHD_STATE": state,
                "ENRICHD_RESULT": result, "ENRICHD_SPOOL": world.layout.root,
            ], "\(id)")
            #expect(FileManager.default.fileExists(atPath: result), "\(id): \(result)")
            #expect(Set(variables.keys).subtracting(told.keys).isSubset(of: allowed), "\(id): \(variables.keys.sorted())")
            #expect(variables["LANG"] == "C.UTF-8" && variables["PATH"] == ProcessInfo.processInfo.environment["PATH"])
            for leak in [secret, credentials, daemon.notifications.path, world.tokens[0], "NOTIFY_SOCKET", "CREDENTIALS_DIRECTORY"] {
                #expect(!text.contains(leak), "\(id)'s hook was given \(leak)")
            }
        }
        #expect(["succeeded", "completedWithWarnings"].contains(try state("one-off")))

        // The hook's output is logged with its outcome.
        let succeeded = try Self.waitForLog(daemon, "runFinished hook succeeded for job queued")
        #expect(succeeded?.contains(#"hook_output="reported queued""#) == true, "\(succeeded ?? daemon.logTail())")
    }

    // MARK: - A hook that fails or hangs

    @Test func aHookThatFailsOrHangsNeitherChangesTheJobNorHoldsUpTheQueue() throws {
        let directory = try TemporaryDirectory("enrichd-hook-fail")
        defer { if !keepTestDirectories { directory.remove() } }
        let world = try SystemWorld(in: directory, seed: 62, companies: 300,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let bundle = try Self.makeBundle(world)
        let running = world.file("running")
        try FileManager.default.createDirectory(atPath: running, withIntermediateDirectories: true)
        // Two FIFOs the test holds: "release" lets a blocked hook go on; "held" is open in every process of the
        // stubborn hook, so its end of file says they are all gone.
        let release = world.file("release"), held = world.file("held")
        #expect(mkfifo(release, 0o600) == 0 && mkfifo(held, 0o600) == 0)
        let releaseWriter = open(release, O_RDWR)  // never blocks on Linux; a reader's open then does not either
        defer { close(releaseWriter) }
        let heldReader = open(held, O_RDONLY | O_NONBLOCK)
        defer { close(heldReader) }
        #expect(releaseWriter >= 0 && heldReader >= 0)
        let hook = try Self.executable(world, "unreliable", """
            #!/bin/sh
            started() { echo "$1" > "\(running)/.$ENRICHD_JOB_ID"; mv "\(running)/.$ENRICHD_JOB_ID" "\(running)/$ENRICHD_JOB_ID"; }
            case "$ENRICHD_JOB_ID" in
            blocked*)
                started ""
                read answer < "\(release)"
                echo "pager unreachable ($answer)" >&2
                exit 1 ;;
            stubborn*)
                trap '' TERM
                exec 3> "\(held)"
                sleep 300 &
                started "$$ $!"
                wait ;;
            *)
                started "" ;;
            esac
            """)
        func configure(_ command: String, timeout: Int) throws {
            try world.configure(ratePerSecond: 500, members: """
                "hooks": {"runFinished": {"command": ["\(command)"], "timeoutSeconds": \(timeout)}}
                """)
        }
        try configure(hook, timeout: 300)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }

        // A hook blocked on its pager: the next job is claimed, finishes and gets its own hook meanwhile.
        try world.submit(bundle + "/job.json", id: "blocked-1")
        #expect(try SpoolWaiter.wait(for: "blocked-1", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForFile(running + "/blocked-1"), "\(daemon.logTail())")
        try world.submit(bundle + "/job.json", id: "after-blocked")
        #expect(try SpoolWaiter.wait(for: "after-blocked", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForFile(running + "/after-blocked"), "\(daemon.logTail())")
        let stateBefore = try world.result("blocked-1")["state"] as? String
        // Let it go: it exits 1, which is logged with its output and changes nothing about the job.
        #expect(write(releaseWriter, "go\n", 3) == 3)
        let failed = try Self.waitForLog(daemon, "runFinished hook failed for job blocked-1: \(hook) exited with status 1")
        #expect(failed?.contains("message_id=9d5d7c07b6004dc1a91317bf3836491f") == true
                    && failed?.contains(#"hook_output="pager unreachable (go)""#) == true
                    && failed?.contains("exit_status=1") == true, "\(failed ?? daemon.logTail())")
        #expect(try world.result("blocked-1")["state"] as? String == stateBefore)
        #expect(!FileManager.default.fileExists(atPath: world.layout.failed("blocked-1")))

        // A relative program on SIGHUP is refused with its key path; the old hook stays.
        try configure("unreliable", timeout: 1)
        try Self.reload(daemon)
        let rejected = try Self.waitForLog(daemon, "new configuration rejected, keeping the old one",
                                           "(at hooks.runFinished.command[0])")
        #expect(rejected?.contains("must be an absolute path") == true, "\(rejected ?? daemon.logTail())")
        try world.submit(bundle + "/job.json", id: "after-rejected")
        #expect(try Self.waitForFile(running + "/after-rejected"), "\(daemon.logTail())")

        // A one-second timeout, and a hook that ignores SIGTERM and leaves a child in its group: SIGKILL ends both.
        try configure(hook, timeout: 1)
        try Self.reload(daemon)
        try world.submit(bundle + "/job.json", id: "stubborn-1")
        #expect(try SpoolWaiter.wait(for: "stubborn-1", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForFile(running + "/stubborn-1"), "\(daemon.logTail())")
        let pids = try String(contentsOfFile: running + "/stubborn-1", encoding: .utf8).split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(pids.count == 2, "\(pids)")
        var hangUp = pollfd(fd: heldReader, events: Int16(POLLIN), revents: 0)
        #expect(poll(&hangUp, 1, 120_000) == 1 && hangUp.revents & Int16(POLLHUP) != 0,
                "the hook's processes still hold the FIFO; log:\n\(daemon.logTail())")
        let timedOut = try Self.waitForLog(daemon, "runFinished hook failed for job stubborn-1: \(hook) timed out after 1 s")
        #expect(timedOut?.contains("its process group got SIGTERM, and SIGKILL 5 s later") == true
                    && timedOut?.contains("message_id=9d5d7c07b6004dc1a91317bf3836491f") == true,
                "\(timedOut ?? daemon.logTail())")
        if let group = pids.first {
            #expect(Self.livingMembers(ofGroup: group).isEmpty, "group \(group): \(Self.livingMembers(ofGroup: group))")
        }

        // The daemon goes on serving jobs, each job stayed done, and it stops cleanly.
        try world.submit(bundle + "/job.json", id: "after-timeout")
        #expect(try SpoolWaiter.wait(for: "after-timeout", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForFile(running + "/after-timeout"), "\(daemon.logTail())")
        for id in ["blocked-1", "after-blocked", "after-rejected", "stubborn-1", "after-timeout"] {
            #expect(FileManager.default.fileExists(atPath: world.layout.done(id)), "\(id)")
        }
        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait(timeout: 60) == 0, "\(daemon.logTail())")
    }

    /// SIGHUP, then the daemon's READY=1 after it (the reload's log lines come before).
    static func reload(_ daemon: DaemonIncarnation) throws {
        daemon.child.signal(SIGHUP)
        _ = try #require(daemon.notifications.next(until: { $0.contains("RELOADING=1") }, timeout: 30), "no RELOADING=1")
        _ = try #require(daemon.notifications.next(until: { $0.contains("READY=1") }, timeout: 30), "no READY=1")
    }

    // MARK: - A program the daemon could not run

    @Test func aProgramTheDaemonCannotRunIsRefusedWithItsKeyPath() throws {
        let directory = try TemporaryDirectory("enrichd-hook-config")
        defer { if !keepTestDirectories { directory.remove() } }
        let spool = SpoolLayout(root: directory.file("spool"))
        try spool.create()
        let token = try directory.write("token", "hook-config-token", mode: 0o600)
        let notExecutable = try directory.write("page-oncall.txt", "#!/bin/sh\n", mode: 0o644)
        let configuration = directory.file("enrichd.json")
        func configure(_ program: String) throws {
            try directory.write("enrichd.json", DaemonConfigurationText.render(
                spool: spool.root, members: #""hooks": {"runFinished": {"command": ["\#(program)", "--team", "crm"]}}"#,
                connections: [.init(baseURL: "http://127.0.0.1:9", tokenFile: token)]))
        }
        for (program, says) in [("page-oncall", "must be an absolute path"), (directory.file("gone"), "does not exist"),
                                (notExecutable, "is not executable")] {
            try configure(program)
            let checked = try ChildProcess.run(BuiltProducts.enrichd, ["--check-config", "--config", configuration])
            #expect(checked.status == 78 && checked.stderr.contains("(at hooks.runFinished.command[0])")
                        && checked.stderr.contains(says), "--check-config \(program): \(checked.status) \(checked.stderr)")
            let started = try ChildProcess.run(BuiltProducts.enrichd, ["--config", configuration])
            #expect(started.status == 78 && started.stderr.contains("(at hooks.runFinished.command[0])")
                        && started.stderr.contains(says), "start with \(program): \(started.status) \(started.stderr)")
        }
        // enrichctl reads the same file as a submitter, who need not be able to run the hook: it is not checked.
        let listed = try ChildProcess.run(BuiltProducts.enrichctl, ["list", "--config", configuration])
        #expect(listed.status == 0, "\(listed.stderr)")
        try configure("/bin/true")
        let valid = try ChildProcess.run(BuiltProducts.enrichd, ["--check-config", "--config", configuration])
        #expect(valid.status == 0, "\(valid.stderr)")
    }
}
