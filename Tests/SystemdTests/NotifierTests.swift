import EnrichdTestSupport
import Foundation
import POSIX
import Testing

@testable import Systemd

/// These tests change NOTIFY_SOCKET/WATCHDOG_* in this process's environment, so they run one at a time.
@Suite(.serialized)
struct NotifierTests {
    @Test func sendsEachStateAsOneDatagramToTheNotifySocket() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifySocketListener(path: directory.file("notify.sock"))
        setenv("NOTIFY_SOCKET", listener.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        let notifier = SystemdNotifier()
        #expect(notifier.isEnabled)
        #expect(notifier.notify(.ready, .status("idle, 0 queued")))
        #expect(listener.receive(timeout: 5) == "READY=1\nSTATUS=idle, 0 queued")
        #expect(notifier.notify(.watchdog))
        #expect(listener.receive(timeout: 5) == "WATCHDOG=1")
        #expect(notifier.notify(.stopping, .status("line one\nline two")))
        #expect(listener.receive(timeout: 5) == "STOPPING=1\nSTATUS=line one line two")
        // A job name in the status line cannot drive the terminal of whoever runs systemctl status.
        #expect(notifier.notify(.status("1 active; Q4 \u{1B}[31mRED\u{1B}]0;pwned\u{07} 41%")))
        #expect(listener.receive(timeout: 5) == #"STATUS=1 active; Q4 \x1b[31mRED\x1b]0;pwned\x07 41%"#)
        #expect(notifier.notify(.extendTimeout(microseconds: 5_000_000)))
        #expect(listener.receive(timeout: 5) == "EXTEND_TIMEOUT_USEC=5000000")
    }

    @Test func reloadingCarriesTheMonotonicTime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifySocketListener(path: directory.file("notify.sock"))
        setenv("NOTIFY_SOCKET", listener.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        let before = MonotonicClock.microseconds()
        SystemdNotifier().notify(.reloading, .monotonicNow())
        let message = try #require(listener.receive(timeout: 5))
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(stamp >= before && stamp <= MonotonicClock.microseconds())
    }

    @Test func withoutANotifySocketNothingIsSent() {
        unsetenv("NOTIFY_SOCKET")
        let notifier = SystemdNotifier()
        #expect(!notifier.isEnabled)
        #expect(!notifier.notify(.ready))
    }

    @Test func readsTheWatchdogIntervalThroughLibsystemd() {
        setenv("WATCHDOG_USEC", "3000000", 1)
        setenv("WATCHDOG_PID", String(getpid()), 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier().watchdogInterval() == .seconds(3))
        // The watchdog belongs to another process (e.g. our parent): not ours to ping.
        setenv("WATCHDOG_PID", String(getpid() + 1), 1)
        #expect(SystemdNotifier().watchdogInterval() == nil)
    }
}

struct JournalDestinationTests {
    @Test func journalOnlyWhenJournalStreamMatchesStderr() {
        var status = stat()
        fstat(STDERR_FILENO, &status)
        let matching = "\(status.st_dev):\(status.st_ino)"
        #expect(StandardErrorDestination.detect(environment: ["JOURNAL_STREAM": matching]) == .journal)
        #expect(StandardErrorDestination.detect(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino + 1)"]) == .stream)
        #expect(StandardErrorDestination.detect(environment: ["JOURNAL_STREAM": "garbage"]) == .stream)
        #expect(StandardErrorDestination.detect(environment: [:]) == .stream)
    }

    @Test(arguments: [
        ("job_id", "JOB_ID"), ("jobName", "JOBNAME"), ("http-status", "HTTP_STATUS"), ("_private", "PRIVATE"),
        ("2fa", "F_2FA"), ("message_id", "MESSAGE_ID"), ("", nil),
    ] as [(String, String?)])
    func metadataKeysBecomeValidJournalFieldNames(key: String, field: String?) {
        #expect(JournalRecord.fieldName(forMetadataKey: key) == field)
    }
}

/// The spool's filesystem decides how often the daemon rescans it.
struct FilesystemTests {
    @Test func localDirectoriesAreNotNetworkFilesystems() {
        #expect(!Filesystem.isNetwork("/tmp"))
        #expect(!Filesystem.isNetwork(FileManager.default.currentDirectoryPath))
        #expect(!Filesystem.isNetwork("/nonexistent/\(UUID().uuidString)"), "unknown is treated as local")
    }
}
