import Foundation

/// What a name in `incoming/` is, judged without following symbolic links.
public enum SpoolEntryKind: Sendable, Equatable {
    /// `NAME.json`: a bare descriptor.
    case descriptor
    /// `NAME/`: a bundle directory.
    case bundle
    /// Anything else (a symlink, FIFO, device, a file not ending in .json): quarantined with the reason.
    case unsupported(String)

    public static func of(path: String, name: String) -> SpoolEntryKind? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            return .bundle
        case S_IFREG:
            return name.hasSuffix(".json") ? .descriptor
                : .unsupported("a file in incoming/ must be a job descriptor named NAME.json, or a bundle directory")
        case S_IFLNK:
            return .unsupported("symbolic links are not accepted in incoming/; submit the job itself")
        case S_IFIFO:
            return .unsupported("a FIFO is not a job")
        case S_IFCHR, S_IFBLK:
            return .unsupported("a device file is not a job")
        case S_IFSOCK:
            return .unsupported("a socket is not a job")
        default:
            return .unsupported("unsupported file type")
        }
    }
}

/// Claims jobs out of `incoming/` into `active/` by rename.
public struct SpoolClaimer: Sendable {
    public let layout: SpoolLayout

    public init(layout: SpoolLayout) {
        self.layout = layout
    }

    public struct Claim: Sendable, Equatable {
        public var id: String
        /// The name it had in incoming/.
        public var name: String
        /// The job's directory, now under active/.
        public var directory: String
        /// Set when the entry was not a job: it is quarantined in ``directory``, to be moved to failed/ with its
        /// error.
        public var rejection: String?
    }

    /// The names waiting in `incoming/`, oldest first. A name that is not valid UTF-8 is first renamed to a
    /// readable one (it could not be named in logs, ids or error reports otherwise).
    public func queued() -> [String] {
        guard let names = self.listIncoming() else { return [] }
        let entries = names.filter { !SpoolLayout.isIgnored($0) }.map { name -> (String, Double) in
            var status = stat()
            let path = (self.layout.incoming as NSString).appendingPathComponent(name)
            let time = lstat(path, &status) == 0 ? Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9 : 0
            return (name, time)
        }
        return entries.sorted { $0.1 == $1.1 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.0)
    }

    private func listIncoming() -> [String]? {
        guard let directory = opendir(self.layout.incoming) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
                continue
            }
            // The readable name keeps what can be read: invalid bytes become "_".
            var readable = String(String(decoding: bytes, as: UTF8.self).map { $0 == "\u{FFFD}" ? "_" : $0 })
            if FileManager.default.fileExists(atPath: (self.layout.incoming as NSString).appendingPathComponent(readable)) {
                readable = "renamed-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))-" + readable
            }
            let source = Array(self.layout.incoming.utf8) + [UInt8(ascii: "/")] + bytes + [0]
            let target = (self.layout.incoming as NSString).appendingPathComponent(readable)
            if source.withUnsafeBufferPointer({ Foundation.rename(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), target) }) == 0 {
                names.append(readable)
            }
        }
        return names
    }

    /// The job id for an incoming name: the name itself (without `.json`) when it is a valid, unused id.
    public func id(for name: String) -> String {
        var base = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        if SpoolLayout.isValidID(base) && !self.layout.exists(id: base) { return base }
        base = String(base.unicodeScalars.filter { SpoolLayout.isValidID(String($0)) }.prefix(40).map(Character.init))
        var id: String
        repeat { id = SpoolLayout.newID(prefix: base.isEmpty ? "job" : base) } while self.layout.exists(id: id)
        return id
    }

    /// Claims one entry. Returns `nil` if it vanished (another claimer won, or the producer withdrew it).
    public func claim(name: String) throws(DurableFile.Failure) -> Claim? {
        let source = (self.layout.incoming as NSString).appendingPathComponent(name)
        guard let kind = SpoolEntryKind.of(path: source, name: name) else { return nil }
        let id = self.id(for: name)
        switch kind {
        case .bundle:
            let destination = self.layout.active(id)
            do {
                try DurableFile.rename(source, to: destination)
            } catch where error.errno == ENOENT {
                return nil
            }
            return Claim(id: id, name: name, directory: destination)
        case .descriptor:
            let destination = self.layout.active(id)
            try DurableFile.makeDirectory(destination)
            do {
                try DurableFile.rename(source, to: JobDirectory(destination).descriptor)
            } catch where error.errno == ENOENT {
                rmdir(destination)
                return nil
            }
            return Claim(id: id, name: name, directory: destination)
        case .unsupported(let reason):
            // Quarantine the entry itself (a symlink is moved, never followed), in a directory of its own in
            // active/: the caller writes error.json there and only then moves it to failed/, so nobody ever sees
            // the job in failed/ without its error.
            let destination = self.layout.active(id)
            try DurableFile.makeDirectory(destination)
            let target = (destination as NSString).appendingPathComponent(name)
            do {
                try DurableFile.rename(source, to: target)
            } catch where error.errno == ENOENT {
                rmdir(destination)
                return nil
            }
            return Claim(id: id, name: name, directory: destination, rejection: reason)
        }
    }
}
