import Foundation
import POSIX
import Testing

/// The ACL entry `enrichctl submit` puts on a job's directory: what is created inside inherits it, as far as the
/// file's own mode allows.
struct PosixACLTests {
    @Test func aUserAddedToTheDefaultACLCanReadWhatIsCreatedInside() throws {
        let directory = "/tmp/enrichd-acl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o750])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PosixACL.inheritAccess(directory: directory, uid: 54321)
        let defaults = try #require(PosixACL.read(directory, attribute: PosixACL.defaultAttribute))
        #expect(defaults.contains { $0.tag == 0x02 && $0.id == 54321 && $0.permissions == 7 }, "\(defaults)")
        #expect(defaults.contains { $0.tag == 0x10 && $0.permissions == 7 }, "a mask covering the new entry: \(defaults)")
        #expect(defaults.contains { $0.tag == 0x04 && $0.permissions == 5 } && defaults.contains { $0.tag == 0x20 && $0.permissions == 0 },
                "the directory's mode is kept for owner group and others: \(defaults)")
        // Twice is the same as once.
        try PosixACL.inheritAccess(directory: directory, uid: 54321)
        #expect(PosixACL.read(directory, attribute: PosixACL.defaultAttribute) == defaults)

        // A 0640 file created inside: the user's entry is inherited, the mask (the file's group bits) limits it to read.
        let file = directory + "/result.json"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o640]))
        let access = try #require(PosixACL.read(file, attribute: PosixACL.accessAttribute))
        #expect(access.contains { $0.tag == 0x02 && $0.id == 54321 }, "\(access)")
        #expect(access.first { $0.tag == 0x10 }?.permissions == 4, "read only: \(access)")
        // And a directory created inside passes the default on.
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
        #expect(PosixACL.read(directory + "/sub", attribute: PosixACL.defaultAttribute)?.contains { $0.id == 54321 } == true)
    }
}
