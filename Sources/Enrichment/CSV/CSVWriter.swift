import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered RFC 4180 CSV writer over a file it creates; write errors (a full disk) surface as thrown errors.
public final class CSVWriter {
    public let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 18

    /// Creates (or truncates) the file with the given mode.
    public init(path: String, mode: mode_t = 0o640) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.descriptor = fd
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        if self.descriptor >= 0 { Glibc.close(self.descriptor) }
    }

    public func write(_ fields: [String]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { self.buffer.append(UInt8(ascii: ",")) }
            Self.append(field, to: &self.buffer)
        }
        self.buffer.append(UInt8(ascii: "\r"))
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= Self.flushThreshold { try self.flush() }
    }

    static func append(_ field: String, to buffer: inout [UInt8]) {
        var needsQuotes = false
        for byte in field.utf8 where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            buffer.append(contentsOf: field.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    public func flush() throws {
        var offset = 0
        while offset < self.buffer.count {
            let written = self.buffer.withUnsafeBytes { raw in
                Foundation.write(self.descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and closes the file: after this returns, the contents are on disk.
    public func close() throws {
        try self.flush()
        guard fsync(self.descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let fd = self.descriptor
        self.descriptor = -1
        guard Glibc.close(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
