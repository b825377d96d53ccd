import Dispatch
import Foundation

/// inotify(7) event kinds, as `IN_*` masks.
public struct InotifyMask: OptionSet, Sendable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IN_CLOSE_WRITE`
    public static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    /// `IN_MOVED_FROM`
    public static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    /// `IN_MOVED_TO`
    public static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    /// `IN_CREATE`
    public static let create = InotifyMask(rawValue: 0x0000_0100)
    /// `IN_DELETE`
    public static let delete = InotifyMask(rawValue: 0x0000_0200)
    /// `IN_DELETE_SELF`
    public static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    /// `IN_MOVE_SELF`
    public static let moveSelf = InotifyMask(rawValue: 0x0000_0800)
    /// `IN_Q_OVERFLOW`: events were dropped; rescan.
    public static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    /// `IN_IGNORED`: the watch was removed.
    public static let ignored = InotifyMask(rawValue: 0x0000_8000)
    /// `IN_ONLYDIR`
    public static let onlyDirectory = InotifyMask(rawValue: 0x0100_0000)
    /// `IN_ISDIR`
    public static let isDirectory = InotifyMask(rawValue: 0x4000_0000)
}

/// One inotify event: what happened to which name in the watched directory.
public struct InotifyEvent: Sendable, Equatable {
    public var mask: InotifyMask
    public var name: String
}

/// Watches one directory with inotify; events arrive through a Dispatch read source (no polling thread).
///
/// `@unchecked Sendable`: the descriptor is immutable after init and the source serialises the handler.
public final class InotifyWatcher: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let source: any DispatchSourceRead

    /// Starts watching. The handler runs on `queue` with the events read in one go.
    public init(
        directory path: String,
        mask: InotifyMask,
        queue: DispatchQueue,
        handler: @escaping @Sendable ([InotifyEvent]) -> Void
    ) throws {
        self.path = path
        // IN_NONBLOCK | IN_CLOEXEC have the values of O_NONBLOCK and O_CLOEXEC.
        let fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard inotify_add_watch(fd, path, mask.union(.onlyDirectory).rawValue) >= 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        self.descriptor = fd
        self.source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        self.source.setEventHandler { @Sendable [fd] in
            let events = Self.drain(fd)
            if !events.isEmpty { handler(events) }
        }
        self.source.setCancelHandler { @Sendable [fd] in close(fd) }
        self.source.activate()
    }

    public func cancel() {
        self.source.cancel()
    }

    deinit {
        self.source.cancel()
    }

    /// Reads every pending event; `struct inotify_event` is 16 bytes of header and a NUL-padded name.
    private static func drain(_ fd: Int32) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = Int(buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) })
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                events.append(InotifyEvent(mask: InotifyMask(rawValue: mask),
                                           name: String(decoding: nameBytes, as: UTF8.self)))
                offset += 16 + length
            }
        }
        return events
    }
}
