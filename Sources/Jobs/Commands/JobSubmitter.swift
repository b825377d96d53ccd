import Formats
import Foundation
import Spool
import POSIX

/// Submits a job the Maildir way: stage a complete bundle in `tmp/`, then rename it into `incoming/`,
/// so the daemon never sees a half-copied job.
public enum JobSubmitter {
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong: the job (a file it names, its id), or the spool it goes into.
        public enum Kind: Sendable {
            case job, spool
        }

        public var kind: Kind
        public var description: String

        init(_ kind: Kind = .job, description: String) {
            self.kind = kind
            self.description = description
        }
    }

    /// - Parameters:
    ///   - path: a `job.json` (its relative data files are copied along) or a bundle directory.
    ///   - id: the job id to ask for; a fresh one when `nil`.
    /// - Returns: the id the job was submitted under.
    /// `readableBy`: another user who may read the job's outputs (a saved enrichment's owner, for a refresh the
    /// daemon submits).
    /// `maxPaidLookups`: the job's spending cap (`enrichctl submit --max-paid N`), written into its job.json.
    public static func submit(path: String, layout: SpoolLayout, id: String? = nil, readableBy: uid_t? = nil,
                              maxPaidLookups: Int? = nil) throws -> String
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "\(path): no such file or directory")
        }
        let descriptorPath = isDirectory.boolValue ? JobDirectory(path).descriptor : path
        // The daemon's size limit, checked before anything is read.
        let data = try JobFile.readDescriptor(descriptorPath, displayName: descriptorPath)
        let descriptor = try JobDescriptor.parse(data, file: descriptorPath)
        let base = (descriptorPath as NSString).deletingLastPathComponent
        var files = [descriptor.customers.file]
        if let members = descriptor.customers.segment?.membersFile { files.append(members) }
        if let contacts = descriptor.contacts?.file { files.append(contacts) }

        let jobID = id ?? SpoolLayout.newID(prefix: SpoolLayout.isValidID(descriptor.outputTable) ? descriptor.outputTable : nil)
        guard SpoolLayout.isValidID(jobID) else { throw Failure(description: "\"\(jobID)\" is not a valid job id") }
        let staging = layout.path("tmp", jobID)
        let destination = layout.path("incoming", jobID)
        guard !FileManager.default.fileExists(atPath: staging), !FileManager.default.fileExists(atPath: destination),
            !layout.exists(id: jobID)
        else {
            throw Failure(.spool, description: "a job with id \(jobID) already exists")
        }
        let missing = ["tmp", "incoming"].filter { name in
            var isDirectory: ObjCBool = false
            return !(FileManager.default.fileExists(atPath: layout.path(name), isDirectory: &isDirectory) && isDirectory.boolValue)
        }
        guard missing.isEmpty else {
            throw Failure(.spool, description: "the spool \(layout.root) is not set up: it has no \(missing.joined(separator: "/ or "))/ "
                + "directory. The daemon creates the spool when it starts (systemctl start enrichd); or name another "
                + "spool with --spool or the configuration's \"spool\"")
        }
        // Group-writable: the daemon (in the submit group) must be able to move the bundle and write inside it.
        do {
            try DurableFile.makeDirectory(staging, mode: 0o770)
        } catch {
            throw Self.explain(error, spool: layout.root)
        }
        chmod(staging, 0o770)
        // The job's directory stays the submitter's through active/ to done/ or failed/; with this entry in its
        // default ACL, what the daemon writes inside (progress, outputs, result, error.json) is readable by the
        // submitter too, and by no other submitter. Best effort: without ACL support an operator reads results.
        for uid in Set([getuid()] + (readableBy.map { [$0] } ?? [])) where uid != 0 {
            try? PosixACL.inheritAccess(directory: staging, uid: uid)
        }
        do {
            try self.copy(descriptorPath, to: JobDirectory(staging).descriptor)
            if let maxPaidLookups {
                let copied = JobDirectory(staging).descriptor
                guard let data = FileManager.default.contents(atPath: copied),
                    var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                else { throw Failure(description: "\(descriptorPath): cannot set maxPaidLookups in it") }
                object["maxPaidLookups"] = maxPaidLookups
                let bytes = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try (bytes + Data("\n".utf8)).write(to: URL(fileURLWithPath: copied))
            }
            for file in Set(files) where !file.hasPrefix("/") {
                guard !file.split(separator: "/").contains("..") else {
                    throw Failure(description: "\(file): data files must be inside the job's directory ('..' is not allowed)")
                }
                let target = (staging as NSString).appendingPathComponent(file)
                let parent = (target as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o770])
                chmod(parent, 0o770)
                try self.copy((base as NSString).appendingPathComponent(file), to: target)
            }
            try DurableFile.syncDirectory(staging)
            try DurableFile.rename(staging, to: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw Self.explain(error, spool: layout.root)
        }
        return jobID
    }

    /// What a failure to write into the spool means for the person submitting: a full disk or missing
    /// permissions say so and what to do, in place of the system's raw error.
    static func explain(_ error: any Error, spool: String) -> any Error {
        let code: Int32? = switch error {
        case let failure as DurableFile.Failure: failure.errno
        case let posix as POSIXError: posix.code.rawValue
        case let cocoa as CocoaError where cocoa.code == .fileWriteOutOfSpace: ENOSPC
        case let cocoa as CocoaError where cocoa.code == .fileWriteNoPermission: EACCES
        case let cocoa as CocoaError: (cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code.rawValue
        default: nil
        }
        switch code {
        case ENOSPC, EDQUOT:
            return Failure(.spool, description: "no space left on the spool's filesystem (\(spool)): free space there, then submit again (nothing was queued)")
        case EACCES, EPERM:
            return Failure(.spool, description: "not allowed to write into the spool (\(spool)): submitters must be in the enrichd-submit group (sudo usermod -aG enrichd-submit USER, then log in again); nothing was queued")
        default:
            return error
        }
    }

    private static func copy(_ source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw Failure(description: "\(source): cannot read")
        }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination, contents: nil,
                                             attributes: [.posixPermissions: 0o640]),
            let output = FileHandle(forWritingAtPath: destination)
        else {
            throw Failure(.spool, description: "\(destination): cannot create")
        }
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
        try output.synchronize()
    }
}
