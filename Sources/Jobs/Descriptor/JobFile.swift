import Formats
import Foundation

/// Reads a small file a job names (its descriptor) without following symbolic links and only when it is a
/// regular file: a FIFO must not block the daemon, a link must not lead it out of the spool.
public enum JobFile {
    public static let maximumDescriptorBytes = 1 << 20

    /// Reads a descriptor the user names on the command line (`enrichctl submit`, `validate`, `estimate`): a
    /// symbolic link is followed (it is the user's own file, and submit copies it), but the size limit is the
    /// daemon's, checked before anything is read, so a file the daemon would refuse is refused here too.
    public static func readDescriptor(_ path: String, displayName: String) throws(JobError) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw JobError(errno == ENOENT ? .fileNotFound : .unreadableFile,
                           "cannot read the job descriptor: \(String(cString: strerror(errno)))", file: displayName)
        }
        guard Int(status.st_size) <= Self.maximumDescriptorBytes else {
            throw Self.tooLarge(displayName)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobError(.unreadableFile, "cannot read the job descriptor", file: displayName)
        }
        guard data.count <= Self.maximumDescriptorBytes else { throw Self.tooLarge(displayName) }
        return [UInt8](data)
    }

    static func tooLarge(_ displayName: String) -> JobError {
        JobError(.invalidValue, "\(displayName) is larger than \(Self.maximumDescriptorBytes) bytes", file: displayName,
                 hint: "a job descriptor names its data files; put the data in them, not in job.json")
    }

    public static func readRegularFile(_ path: String, displayName: String) throws(JobError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw JobError(.fileNotFound, "file not found", file: displayName)
            case ELOOP: throw JobError(.pathNotAllowed, "\(displayName) is a symbolic link", file: displayName,
                                       hint: "put the file itself in the job bundle")
            default: throw JobError(.unreadableFile, "cannot open: \(String(cString: strerror(errno)))", file: displayName)
            }
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw JobError(.unreadableFile, "not a regular file", file: displayName,
                           hint: "\(displayName) must be a plain file; directories, FIFOs and devices are refused")
        }
        guard Int(status.st_size) <= Self.maximumDescriptorBytes else {
            throw Self.tooLarge(displayName)
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        return Array(bytes.prefix(offset))
    }
}
