import CLinux
import Foundation

/// POSIX ACLs as Linux keeps them in extended attributes (`system.posix_acl_access` and, for directories,
/// `system.posix_acl_default`, which files created inside inherit). No libacl needed: the format is a version
/// word and 8-byte entries (tag, permissions, id), little-endian, sorted by tag and id.
public enum PosixACL {
    public struct Entry: Equatable, Sendable {
        public var tag: UInt16
        public var permissions: UInt16
        public var id: UInt32
    }

    static let version: UInt32 = 2
    static let userObject: UInt16 = 0x01, user: UInt16 = 0x02, groupObject: UInt16 = 0x04, group: UInt16 = 0x08
    static let mask: UInt16 = 0x10, other: UInt16 = 0x20
    static let undefinedID: UInt32 = 0xFFFF_FFFF
    public static let defaultAttribute = "system.posix_acl_default"
    public static let accessAttribute = "system.posix_acl_access"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The entries of an ACL attribute; `nil` when the file has none (or the filesystem keeps none).
    public static func read(_ path: String, attribute: String) -> [Entry]? {
        var bytes = [UInt8](repeating: 0, count: 4 + 8 * 64)
        let count = getxattr(path, attribute, &bytes, bytes.count)
        guard count >= 4, (count - 4) % 8 == 0 else { return nil }
        func word16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        func word32(_ at: Int) -> UInt32 { UInt32(word16(at)) | UInt32(word16(at + 2)) << 16 }
        guard word32(0) == Self.version else { return nil }
        return stride(from: 4, to: count, by: 8).map { Entry(tag: word16($0), permissions: word16($0 + 2), id: word32($0 + 4)) }
    }

    public static func write(_ entries: [Entry], to path: String, attribute: String) throws(Failure) {
        var bytes: [UInt8] = []
        func append(_ value: UInt32, _ size: Int) { for shift in 0..<size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * shift))) } }
        append(Self.version, 4)
        for entry in entries.sorted(by: { ($0.tag, $0.id) < ($1.tag, $1.id) }) {
            append(UInt32(entry.tag), 2)
            append(UInt32(entry.permissions), 2)
            append(entry.id, 4)
        }
        guard setxattr(path, attribute, bytes, bytes.count, 0) == 0 else {
            throw Failure(description: "\(path): cannot set \(attribute): \(String(cString: strerror(errno)))")
        }
    }

    /// Lets `uid` read what will be created in `directory` (and work in it): adds `user:uid:rwx` to the
    /// directory's default ACL, which files and directories created inside inherit (a file's own mode still
    /// limits it: a 0640 file gives that user read only). Entries already there are kept.
    public static func inheritAccess(directory: String, uid: UInt32) throws(Failure) {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            throw Failure(description: "\(directory): \(String(cString: strerror(errno)))")
        }
        let mode = UInt16(status.st_mode & 0o777)
        var entries = self.read(directory, attribute: Self.defaultAttribute) ?? [
            Entry(tag: Self.userObject, permissions: (mode >> 6) & 7, id: Self.undefinedID),
            Entry(tag: Self.groupObject, permissions: (mode >> 3) & 7, id: Self.undefinedID),
            Entry(tag: Self.other, permissions: mode & 7, id: Self.undefinedID),
        ]
        entries.removeAll { $0.tag == Self.user && $0.id == uid }
        entries.append(Entry(tag: Self.user, permissions: 7, id: uid))
        // The mask bounds every named and group entry: widen it to what they ask for.
        let groupClass = entries.filter { [Self.user, Self.groupObject, Self.group].contains($0.tag) }
            .reduce(UInt16(0)) { $0 | $1.permissions }
        entries.removeAll { $0.tag == Self.mask }
        entries.append(Entry(tag: Self.mask, permissions: groupClass, id: Self.undefinedID))
        try self.write(entries, to: directory, attribute: Self.defaultAttribute)
    }
}
