import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// enrichctl's shell completion in a real bash: the script `make install` installs, then the completion function
/// as bash calls it on TAB. Job ids come from the spool (the one `--spool` or `--config` names), per command
/// only those it can act on; connection names come from the configuration.
@Suite struct CompletionTests {
    /// A spool with a job in every place, a configuration with two connections, and the bash script.
    struct Machine {
        let directory: TemporaryDirectory
        let layout: SpoolLayout
        let configuration: String
        let script: String

        init() throws {
            self.directory = try TemporaryDirectory("enrichd-completion")
            self.layout = SpoolLayout(root: self.directory.file("spool"))
            try self.layout.create()
            for (place, id) in [("active", "emea-active"), ("done", "emea-done"), ("done", "emea-cancelled"),
                                ("failed", "emea-failed"), ("failed", "apac-failed"), ("incoming", "emea-queued")] {
                try FileManager.default.createDirectory(atPath: self.layout.path(place, id), withIntermediateDirectories: true)
            }
            try self.directory.write("spool/done/emea-done/result.json", #"{"state": "succeeded"}"#)
            try self.directory.write("spool/done/emea-cancelled/result.json", #"{"state": "cancelled"}"#)
            try self.directory.write("spool/incoming/emea-descriptor.json", "{}")
            try self.directory.write("spool/incoming/.emea-hidden.json", "{}")
            try self.directory.write("spool/active/emea-writing.tmp", "")
            let token = try self.directory.write("token", "t", mode: 0o600)
            let spool = self.layout.root
            self.configuration = try self.directory.write("enrichd.json", DaemonConfigurationText.render(
                spool: spool,
                connections: ["emea", "apac"].map { .init(name: $0, baseURL: "http://127.0.0.1:9", tokenFile: token) }))
            let generated = try ChildProcess.run(BuiltProducts.enrichctl, ["--generate-completion-script", "bash"])
            #expect(generated.status == 0, "\(generated.stderr)")
            self.script = try self.directory.write("enrichctl.bash", generated.stdout)
        }

        /// What bash offers when TAB is pressed at the end of `line`.
        func complete(_ line: String) throws -> [String] {
            let driver = """
                source "$1"
                COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
                read -ra COMP_WORDS <<< "$COMP_LINE"
                [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMPREPLY=()
                _enrichctl
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let path = (BuiltProducts.enrichctl as NSString).deletingLastPathComponent
            let run = try ChildProcess.run("/bin/bash", ["-c", driver, "driver", self.script, line],
                                           environment: ["PATH": path + ":/usr/bin:/bin"])
            #expect(run.status == 0 && run.stderr.isEmpty, "\(line): \(run.stderr)")
            return run.stdout.split(separator: "\n").map(String.init).sorted()
        }
    }

    @Test func jobIdsAreCompletedFromTheSpoolPerCommand() throws {
        let machine = try Machine()
        defer { machine.directory.remove() }
        let spool = "--spool \(machine.layout.root)"
        #expect(try machine.complete("enrichctl show \(spool) ") == [
            "apac-failed", "emea-active", "emea-cancelled", "emea-descriptor", "emea-done", "emea-failed", "emea-queued",
        ])
        #expect(try machine.complete("enrichctl show \(spool) emea-") == [
            "emea-active", "emea-cancelled", "emea-descriptor", "emea-done", "emea-failed", "emea-queued",
        ])
        #expect(try machine.complete("enrichctl report \(spool) ") == ["emea-cancelled", "emea-done"])
        #expect(try machine.complete("enrichctl cancel \(spool) ") == ["emea-active", "emea-descriptor", "emea-queued"])
        #expect(try machine.complete("enrichctl wait \(spool) emea-") == ["emea-active", "emea-descriptor", "emea-queued"])
        // status shows any job, wherever it is.
        #expect(try machine.complete("enrichctl status \(spool) ") == [
            "apac-failed", "emea-active", "emea-cancelled", "emea-descriptor", "emea-done", "emea-failed", "emea-queued",
        ])
        // Failed jobs and cancelled ones (in done/ with state "cancelled") can be retried; finished ones cannot.
        #expect(try machine.complete("enrichctl retry --spool=\(machine.layout.root) ") == [
            "apac-failed", "emea-cancelled", "emea-failed",
        ])
        // The spool named by the configuration, as the commands themselves find it.
        #expect(try machine.complete("enrichctl retry --config \(machine.configuration) a") == ["apac-failed"])
        // No spool to be found: nothing offered, no error.
        #expect(try machine.complete("enrichctl show --config /nonexistent/enrichd.json ").isEmpty)
        // Neither option on the line: the default configuration's spool (there is none here); no error either.
        if !FileManager.default.fileExists(atPath: "/etc/enrichd/enrichd.json") {
            #expect(try machine.complete("enrichctl show ").isEmpty)
        } else {
            _ = try machine.complete("enrichctl show ")
        }
    }

    @Test func connectionNamesAreCompletedFromTheConfiguration() throws {
        let machine = try Machine()
        defer { machine.directory.remove() }
        #expect(try machine.complete("enrichctl connection verify --config \(machine.configuration) ") == ["apac", "emea"])
        #expect(try machine.complete("enrichctl connection verify --config \(machine.configuration) e") == ["emea"])
    }
}
