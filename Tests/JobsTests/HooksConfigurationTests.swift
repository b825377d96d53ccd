import EnrichdTestSupport
import Foundation
import Jobs
import Testing

/// `hooks.runFinished` in enrichd.json: its shape, its diagnostics (each with its key path), and the check of its
/// program, which only the daemon asks for.
@Suite struct HooksConfigurationTests {
    static func parse(_ hooks: String, checkingPrograms: Bool = false) throws(JobError) -> DaemonConfiguration {
        try DaemonConfiguration.parse(Array(#"{"spool": "/srv/spool", "hooks": \#(hooks)}"#.utf8), file: "enrichd.json",
                                      checkingPrograms: checkingPrograms)
    }

    @Test func aCommandWithItsArgumentsAndATimeout() throws {
        let configuration = try Self.parse(#"""
            {"runFinished": {"command": ["/usr/local/bin/page-oncall", "--team", "crm"], "timeoutSeconds": 12}}
            """#)
        #expect(configuration.hooks.runFinished == HookCommand(
            command: ["/usr/local/bin/page-oncall", "--team", "crm"], timeoutSeconds: 12))
        #expect(configuration.hooks.runFinished?.program == "/usr/local/bin/page-oncall")
    }

    @Test func noHookUnlessConfiguredAndThirtySecondsUnlessSaid() throws {
        #expect(try DaemonConfiguration.parse(Array(#"{"spool": "/s"}"#.utf8), file: "x").hooks.runFinished == nil)
        #expect(try Self.parse("{}").hooks.runFinished == nil)
        #expect(try Self.parse(#"{"runFinished": {"command": ["/bin/true"]}}"#).hooks.runFinished?.timeoutSeconds == 30)
    }

    @Test func badShapesAreRefusedWithTheirKeyPath() {
        let cases: [(hooks: String, code: JobError.Code, keyPath: String, says: String)] = [
            (#"{"runFinished": {"command": ["page-oncall", "--team"]}}"#, .invalidValue,
             "hooks.runFinished.command[0]", "must be an absolute path"),
            (#"{"runFinished": {"command": ["./page-oncall"]}}"#, .invalidValue,
             "hooks.runFinished.command[0]", "must be an absolute path"),
            (#"{"runFinished": {"command": []}}"#, .invalidValue, "hooks.runFinished.command", "must name a program"),
            (#"{"runFinished": {}}"#, .missingKey, "hooks.runFinished.command", "required key \"command\""),
            (#"{"runFinished": {"command": "/bin/true"}}"#, .wrongType, "hooks.runFinished.command", "array of strings"),
            (#"{"runFinished": {"command": ["/bin/true", 3]}}"#, .wrongType, "hooks.runFinished.command[1]", "only strings"),
            (#"{"runFinished": {"command": ["/bin/echo", "a\u0000b"]}}"#, .invalidValue,
             "hooks.runFinished.command[1]", "NUL"),
            (#"{"runFinished": {"command": ["/bin/true"], "timeoutSeconds": 0}}"#, .invalidValue,
             "hooks.runFinished.timeoutSeconds", "between 1 and 3600"),
            (#"{"runFinished": {"command": ["/bin/true"], "timeoutSeconds": "30"}}"#, .wrongType,
             "hooks.runFinished.timeoutSeconds", "whole number"),
            (#"{"runFinished": {"command": ["/bin/true"], "timeout": 30}}"#, .unknownKey,
             "hooks.runFinished.timeout", "unknown key"),
            (#"{"runFinshed": {"command": ["/bin/true"]}}"#, .unknownKey, "hooks.runFinshed", "unknown key"),
            (#"{"runFinished": "/bin/true"}"#, .wrongType, "hooks.runFinished", "an object"),
            (#"["/bin/true"]"#, .wrongType, "hooks", "an object"),
        ]
        for (hooks, code, keyPath, says) in cases {
            do {
                _ = try Self.parse(hooks)
                Issue.record("accepted: \(hooks)")
            } catch {
                #expect(error.code == code && error.keyPath == keyPath && error.message.contains(says)
                            && error.file == "enrichd.json" && error.line != nil,
                        "\(hooks) → \(error)")
            }
        }
    }

    @Test func aMisspeltKeyGetsADidYouMean() {
        do {
            _ = try Self.parse(#"{"runFinished": {"command": ["/bin/true"], "timeoutSecond": 5}}"#)
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect(error.hint?.contains("did you mean \"timeoutSeconds\"?") == true, "\(error)")
        }
    }

    /// The daemon checks the program (at start, on SIGHUP, with --check-config); enrichctl, which reads the file
    /// as a user who need not be able to run it, does not.
    @Test func theProgramIsCheckedOnlyWhenTheDaemonAsks() throws {
        let directory = try TemporaryDirectory("enrichd-hooks-config")
        defer { directory.remove() }
        let runnable = try directory.write("page-oncall", "#!/bin/sh\nexit 0\n", mode: 0o755)
        let cases: [(program: String, code: JobError.Code?, says: String)] = [
            (runnable, nil, ""),
            (directory.file("missing"), .fileNotFound, "does not exist"),
            (try directory.write("not-executable", "#!/bin/sh\n", mode: 0o644), .invalidValue, "is not executable"),
            (try directory.write("writable-by-all", "#!/bin/sh\n", mode: 0o757), .invalidValue, "writable by every user"),
            (directory.path, .invalidValue, "not a regular file"),
        ]
        for (program, code, says) in cases {
            let hooks = #"{"runFinished": {"command": ["\#(program)", "--team", "crm"]}}"#
            #expect(try Self.parse(hooks).hooks.runFinished?.program == program, "not checked: \(program)")
            do {
                let checked = try Self.parse(hooks, checkingPrograms: true)
                #expect(code == nil && checked.hooks.runFinished?.program == program, "accepted: \(program)")
            } catch {
                #expect(error.code == code && error.keyPath == "hooks.runFinished.command[0]"
                            && error.message.contains(says) && error.hint != nil,
                        "\(program) → \(error)")
            }
        }
    }

    @Test func loadChecksTheProgramWhenAsked() throws {
        let directory = try TemporaryDirectory("enrichd-hooks-load")
        defer { directory.remove() }
        let path = try directory.write("enrichd.json", #"""
            {"spool": "/srv/spool",
             "hooks": {"runFinished": {"command": ["\#(directory.file("gone"))"]}}}
            """#)
        #expect(try DaemonConfiguration.load(path: path).hooks.runFinished?.command == [directory.file("gone")])
        do {
            _ = try DaemonConfiguration.load(path: path, checkingPrograms: true)
            Issue.record("a missing program was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(path):2:"), "\(error)")
            #expect(error.description.contains("(at hooks.runFinished.command[0])"), "\(error)")
        }
    }
}
