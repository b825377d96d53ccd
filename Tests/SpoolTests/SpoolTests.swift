import EnrichdTestSupport
import Foundation
import Testing

@testable import Spool

struct SpoolTests {
    @Test func claimsDescriptorsAndBundlesByRenameAndQuarantinesTheRest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        try directory.write("spool/incoming/plain.json", "{}")
        try directory.write("spool/incoming/bundle/job.json", "{}")
        try directory.write("spool/incoming/.hidden.json", "{}")
        try directory.write("spool/incoming/partial.json.tmp", "{}")
        symlink("/etc/passwd", layout.path("incoming", "link.json"))
        mkfifo(layout.path("incoming", "fifo.json"), 0o600)

        let claimer = SpoolClaimer(layout: layout)
        #expect(Set(claimer.queued()) == ["plain.json", "bundle", "link.json", "fifo.json"])
        let plain = try #require(try claimer.claim(name: "plain.json"))
        #expect(plain.id == "plain" && plain.rejection == nil)
        #expect(FileManager.default.fileExists(atPath: layout.active("plain") + "/job.json"))
        let bundle = try #require(try claimer.claim(name: "bundle"))
        #expect(FileManager.default.fileExists(atPath: layout.active(bundle.id) + "/job.json"))
        let link = try #require(try claimer.claim(name: "link.json"))
        #expect(link.rejection?.contains("symbolic link") == true)
        // The link itself was moved, never followed, into a quarantine directory of its own (the daemon moves that to
        // failed/ once error.json is written there).
        #expect(link.directory == layout.active(link.id))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.directory + "/link.json")) == "/etc/passwd")
        let fifo = try #require(try claimer.claim(name: "fifo.json"))
        #expect(fifo.rejection?.contains("FIFO") == true)
        #expect(claimer.queued().isEmpty)
        // A name that vanished is not an error.
        #expect(try claimer.claim(name: "gone.json") == nil)
    }

    @Test func aSecondJobWithATakenIdGetsAFreshOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        try FileManager.default.createDirectory(atPath: layout.done("job1"), withIntermediateDirectories: true)
        try directory.write("spool/incoming/job1.json", "{}")
        let claim = try #require(try SpoolClaimer(layout: layout).claim(name: "job1.json"))
        #expect(claim.id != "job1" && claim.id.hasPrefix("job1-"))
    }

    /// Every name the descriptor allows as an output table (up to 128 characters) gives a valid job id.
    @Test(arguments: [1, 40, 103, 104, 127, 128])
    func anOutputTableOfAnyAllowedLengthGivesAValidJobID(length: Int) {
        let table = String(repeating: "T", count: length)
        let id = SpoolLayout.newID(prefix: table)
        #expect(SpoolLayout.isValidID(id), "\(id) (\(id.utf8.count) bytes)")
        #expect(id.hasPrefix(String(table.prefix(40))))
    }

    @Test func durableWriteReplacesWholeFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("progress.json")
        try DurableFile.write(Array("one".utf8), to: path)
        try DurableFile.write(Array("two".utf8), to: path)
        #expect(try directory.read("progress.json") == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["progress.json"])
    }

    @Test func inotifyReportsRenamesIntoTheDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("watched"), withIntermediateDirectories: true)
        let received = DispatchSemaphore(value: 0)
        let names = NamesBox()
        let watcher = try InotifyWatcher(directory: directory.file("watched"), mask: [.movedTo],
                                         queue: DispatchQueue(label: "test")) { events in
            names.append(events.map(\.name))
            received.signal()
        }
        defer { watcher.cancel() }
        try directory.write("staged.json", "{}")
        #expect(rename(directory.file("staged.json"), directory.file("watched/job.json")) == 0)
        #expect(received.wait(timeout: .now() + 10) == .success)
        #expect(names.value == ["job.json"])
    }
}

final class NamesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func append(_ more: [String]) { self.lock.withLock { self.names += more } }
    var value: [String] { self.lock.withLock { self.names } }
}

struct HousekeepingTests {
    func age(_ path: String, days: Double) {
        let time = Date().addingTimeInterval(-days * 86_400).timeIntervalSince1970
        var times = [timespec(tv_sec: Int(time), tv_nsec: 0), timespec(tv_sec: Int(time), tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    @Test func removesStalePartialSubmissionsAndExpiredJobsOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        try directory.write("spool/tmp/stale/job.json", "{}")
        try directory.write("spool/tmp/.fresh.json.tmp", "{}")
        try directory.write("spool/done/old/result.json", "{}")
        try directory.write("spool/done/recent/result.json", "{}")
        try directory.write("spool/failed/old-failure/error.json", "{}")
        try directory.write("spool/active/old-but-active/job.json", "{}")
        try directory.write("spool/incoming/old-but-queued.json", "{}")
        self.age(layout.path("tmp", "stale"), days: 2)
        self.age(layout.done("old") + "/result.json", days: 40)
        self.age(layout.done("recent") + "/result.json", days: 10)
        self.age(layout.failed("old-failure") + "/error.json", days: 31)
        self.age(layout.active("old-but-active") + "/job.json", days: 400)
        self.age(layout.path("incoming", "old-but-queued.json"), days: 400)

        let housekeeper = SpoolHousekeeper(layout: layout)
        #expect(housekeeper.removeStaleTemporaries(olderThan: 86_400) == ["stale"])
        #expect(Set(housekeeper.removeExpiredJobs(olderThanDays: 30)) == ["old", "old-failure"])
        #expect(FileManager.default.fileExists(atPath: layout.path("tmp", ".fresh.json.tmp")))
        #expect(FileManager.default.fileExists(atPath: layout.done("recent")))
        #expect(FileManager.default.fileExists(atPath: layout.active("old-but-active")), "nothing else is deleted")
        #expect(FileManager.default.fileExists(atPath: layout.path("incoming", "old-but-queued.json")))
    }

    @Test func startsWithoutProgressAreCountedAndProgressResetsTheCount() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(StartCounter.increment(directory.path, progress: 0) == 1)
        #expect(StartCounter.increment(directory.path, progress: 0) == 2)
        #expect(StartCounter.increment(directory.path, progress: 5) == 1, "the job advanced: not a poison job")
        #expect(StartCounter.increment(directory.path, progress: 5) == 2)
        #expect(StartCounter.increment(directory.path, progress: 5) == 3)
        StartCounter.reset(directory.path)
        #expect(StartCounter.increment(directory.path, progress: 5) == 1)
    }
}
