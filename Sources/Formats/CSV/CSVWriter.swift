import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered RFC 4180 CSV writer over a file it creates; write errors (a full disk) surface as thrown errors.
///
/// Full buffers are written by a background queue while the caller fills the next one, so a job's parsing and
/// the kernel's copying of its output overlap (on a machine with more than one core). At most one buffer is in
/// flight; an error from it is thrown by the next call.
public final class CSVWriter {
    public let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 18
    private let background = DispatchQueue(label: "enrichd.csv-writer")
    /// Signalled when no buffer is in flight.
    private let idle = DispatchSemaphore(value: 1)
    /// Written by the background queue while a buffer is in flight, read by the caller after `idle` is taken.
    private let handoff = Handoff()

    /// The buffers change hands here, never captured by a closure, so each stays uniquely referenced (no
    /// copy-on-write when it is reused).
    ///
    /// `@unchecked Sendable`: only whoever holds `idle` touches it — the caller, or the one background write the
    /// caller handed a buffer to, which signals `idle` when done; the semaphore orders every access.
    private final class Handoff: @unchecked Sendable {
        var inFlight: [UInt8] = []
        var spare: [UInt8] = []
        var failure: POSIXError?
    }

    /// Creates (or truncates) the file with the given mode.
    public init(path: String, mode: mode_t = 0o640) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.descriptor = fd
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        // A buffer may still be in flight (the caller gave up after an error): let it finish with the descriptor.
        // (libdispatch traps when a semaphore is freed below its initial value: give it back.)
        self.idle.wait()
        self.idle.signal()
        if self.descriptor >= 0 { Glibc.close(self.descriptor) }
    }

    public func write(_ fields: [String]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { self.buffer.append(UInt8(ascii: ",")) }
            Self.append(field, to: &self.buffer)
        }
        self.buffer.append(UInt8(ascii: "\r"))
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= Self.flushThreshold { try self.handOff() }
    }

    /// Writes a record whose first field is `first` (quoted as needed) and whose other fields were rendered once
    /// by ``render(_:)``: a row that repeats an answer costs a copy, not a rendering.
    public func write(first: UnsafeBufferPointer<UInt8>, rendered rest: [UInt8]) throws {
        Self.append(bytes: first, to: &self.buffer)
        self.buffer.append(contentsOf: rest)
        self.buffer.append(UInt8(ascii: "\r"))
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= Self.flushThreshold { try self.handOff() }
    }

    /// Fields rendered for ``write(first:rendered:)``: each preceded by a comma, quoted as needed.
    public static func render(_ fields: some Sequence<String>) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(UInt8(ascii: ","))
            Self.append(field, to: &bytes)
        }
        return bytes
    }

    static func append(bytes field: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
        {
            buffer.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
            return
        }
        buffer.append(contentsOf: field)
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

    /// Hands the filled buffer to the background queue (after the previous one is written) and goes on with
    /// the spare one.
    private func handOff() throws {
        self.idle.wait()
        if let failure = self.handoff.failure {
            self.idle.signal()
            throw failure
        }
        var next: [UInt8] = []
        swap(&next, &self.handoff.spare)
        next.removeAll(keepingCapacity: true)
        if next.capacity < Self.flushThreshold { next.reserveCapacity(Self.flushThreshold + 4096) }
        swap(&self.handoff.inFlight, &self.buffer)
        self.buffer = next
        let descriptor = self.descriptor
        let handoff = self.handoff
        let idle = self.idle
        self.background.async {
            do throws(POSIXError) {
                try Self.writeAll(handoff.inFlight, to: descriptor)
            } catch {
                handoff.failure = error
            }
            swap(&handoff.spare, &handoff.inFlight)
            idle.signal()
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(POSIXError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if written == 0 { throw POSIXError(.ENOSPC) }
            offset += written
        }
    }

    /// Writes everything buffered (waiting for the background queue).
    public func flush() throws {
        self.idle.wait()
        defer { self.idle.signal() }
        if let failure = self.handoff.failure { throw failure }
        try Self.writeAll(self.buffer, to: self.descriptor)
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
