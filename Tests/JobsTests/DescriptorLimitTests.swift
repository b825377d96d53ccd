import Foundation
import Formats
import Spool
import Testing

@testable import Jobs

/// One size limit for job.json, checked before anything is read, the same in the daemon, `enrichctl submit`,
/// `validate` and `estimate`.
struct DescriptorLimitTests {
    static func bundle(descriptorBytes: Int) throws -> String {
        let directory = NSTemporaryDirectory() + "descriptor-limit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let rest = #"", "outputTable": "T", "connection": "default", "customers": {"file": "a.csv", "idColumn": "CustomerId"}, "mapping": {"primary": {"companyName": "Name"}}}"#
        let start = #"{"name": "big"#
        // The name pads the file to the size asked for.
        let json = start + String(repeating: "x", count: max(0, descriptorBytes - start.utf8.count - rest.utf8.count)) + rest
        try json.write(toFile: directory + "/job.json", atomically: true, encoding: .utf8)
        try "CustomerId,Name\n1,Acme\n".write(toFile: directory + "/a.csv", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func theCLIRefusesWhatTheDaemonRefusesBeforeReadingIt() throws {
        let directory = try Self.bundle(descriptorBytes: JobFile.maximumDescriptorBytes + 1)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: JobError.self) { _ = try JobFile.readRegularFile(directory + "/job.json", displayName: "job.json") }
        do {
            _ = try JobPlan.preview(descriptorPath: directory, inputRoots: [])
            Issue.record("validate/estimate accepted a descriptor the daemon refuses")
        } catch {
            #expect(error.code == .invalidValue && error.message.contains("larger than \(JobFile.maximumDescriptorBytes) bytes"),
                    "\(error)")
        }
        let spool = SpoolLayout(root: directory + "/spool")
        try spool.create()
        #expect(throws: JobError.self) { _ = try JobSubmitter.submit(path: directory, layout: spool) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: spool.incoming))?.isEmpty == true)
    }
}

/// `enrichctl submit` on a spool that is not there or has no room says what is wrong and what to do, and
/// queues nothing.
@Suite(.serialized) struct SubmitErrorTests {
    @Test func aSpoolThatIsNotSetUpIsNamed() throws {
        let directory = try DescriptorLimitTests.bundle(descriptorBytes: 0)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = SpoolLayout(root: directory + "/no-spool")
        do {
            _ = try JobSubmitter.submit(path: directory, layout: spool)
            Issue.record("submitted into a spool that does not exist")
        } catch {
            #expect("\(error)".contains("is not set up: it has no tmp/ or incoming/ directory"), "\(error)")
            #expect("\(error)".contains("systemctl start enrichd"), "\(error)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aFullSpoolSaysSoAndQueuesNothing() throws {
        let directory = try DescriptorLimitTests.bundle(descriptorBytes: 0)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A customers file larger than the spool's filesystem.
        let big = String(repeating: "1,Acme Corporation of Somewhere\n", count: 20_000)
        try ("CustomerId,Name\n" + big).write(toFile: directory + "/a.csv", atomically: true, encoding: .utf8)
        let root = directory + "/spool"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=128k", "tmpfs", root]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0)
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = ["-l", root]
            try? umount.run()
            umount.waitUntilExit()
        }
        let spool = SpoolLayout(root: root)
        try spool.create()
        do {
            _ = try JobSubmitter.submit(path: directory, layout: spool)
            Issue.record("submitted onto a full spool")
        } catch {
            #expect("\(error)".hasPrefix("no space left on the spool's filesystem (\(root))"), "\(error)")
            #expect(!"\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: spool.incoming))?.isEmpty == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: spool.path("tmp")))?.isEmpty == true, "staging removed")
    }
}
