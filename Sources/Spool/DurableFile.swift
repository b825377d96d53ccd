import Foundation

/// File operations that are durable as well as atomic: `rename(2)` alone is atomic but may be lost in a crash
/// until the directories holding the old and new names are fsynced.
public enum DurableFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var operation: String
        public var path: String
        public var errno: Int32

        public var description: String {
            "\(self.operation) \(self.path): \(String(cString: strerror(self.errno)))"
        }

        /// The disk (or the quota) is full.
        public var isNoSpace: Bool { self.errno == ENOSPC || self.errno == EDQUOT }
    }

    static func check(_ result: Int32, _ operation: String, _ path: String) throws(Failure) {
        if result != 0 { throw Failure(operation: operation, path: path, errno: errno) }
    }

    /// fsyncs a directory, making renames and creations inside it durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        try self.check(fsync(fd), "fsync", path)
    }

    /// fsyncs a file's contents.
    public static func syncFile(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw Failure(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        try self.check(fsync(fd), "fsync", path)
    }

    /// Renames within one filesystem and fsyncs the moved entry and both parent directories.
    public static func rename(_ source: String, to destination: String) throws(Failure) {
        try self.check(Foundation.rename(source, destination), "rename", "\(source) -> \(destination)")
        // O_NONBLOCK: a quarantined FIFO must not block the open.
        let fd = open(destination, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        let sourceParent = (source as NSString).deletingLastPathComponent
        let destinationParent = (destination as NSString).deletingLastPathComponent
        try self.syncDirectory(destinationParent)
        if sourceParent != destinationParent { try self.syncDirectory(sourceParent) }
    }

    /// The temporary name ``write(_:to:mode:durable:)`` writes `path` under before renaming it into place.
    public static func temporaryName(of name: String) -> String { ".\(name).tmp" }

    /// Removes the temporaries of writes a crash interrupted (`.NAME.tmp`) from a directory no one is writing
    /// in any more: the file each one was to replace is whole, old or new. Returns the names removed.
    @discardableResult
    public static func removeTemporaries(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let temporaries = names.filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") && $0.count > 5 }
        for name in temporaries { unlink((directory as NSString).appendingPathComponent(name)) }
        return temporaries.sorted()
    }

    /// Writes a whole file under a temporary name, fsyncs it and renames it into place: readers see the old
    /// file or the new one, never a part.
    ///
    /// - Parameter durable: `false` for advisory files rewritten all the time (progress.json): still atomic, but
    ///   without the fsyncs, which can stall for seconds on a busy disk.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o640,
                             durable: Bool = true) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(Self.temporaryName(of: (path as NSString).lastPathComponent))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(operation: "create", path: temporary, errno: errno) }
        let contents = Array(bytes)
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { raw in
                Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw Failure(operation: "write", path: temporary, errno: code)
            }
            offset += written
        }
        if durable && fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw Failure(operation: "fsync", path: temporary, errno: code)
        }
        close(fd)
        if Foundation.rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(operation: "rename", path: path, errno: code)
        }
        if durable { try self.syncDirectory(directory) }
    }

    /// Creates a directory (and fsyncs its parent) unless it exists.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o750) throws(Failure) {
        if mkdir(path, mode) != 0 {
            guard errno == EEXIST else { throw Failure(operation: "mkdir", path: path, errno: errno) }
            return
        }
        try self.syncDirectory((path as NSString).deletingLastPathComponent)
    }
}
