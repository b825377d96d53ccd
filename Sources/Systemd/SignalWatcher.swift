import CSystemd
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Delivers signals through signalfd(2) and a Dispatch read source.
///
/// The signals are blocked first (``blockInEveryThread(_:)``, before any thread exists, so every thread inherits
/// the mask): a SIGTERM that arrives at any moment — even right after `READY=1`, before a handler would have been
/// wired — stays pending in the descriptor and is read, never lost or handled with the default action.
///
/// `@unchecked Sendable`: the descriptor is immutable and the source serialises the handler.
public final class SignalWatcher: @unchecked Sendable {
    private let descriptor: Int32
    private let source: any DispatchSourceRead

    /// Blocks the signals in the calling thread and in every thread it creates afterwards.
    public static func blockInEveryThread(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    public init(signals: [Int32], queue: DispatchQueue, handler: @escaping @Sendable (Int32) -> Void) throws {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        let fd = signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
        guard fd >= 0 else { throw SignalWatcherError(errno: errno) }
        self.descriptor = fd
        self.source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        self.source.setEventHandler { @Sendable [fd] in
            // struct signalfd_siginfo is 128 bytes; ssi_signo is its first field.
            var info = signalfd_siginfo()
            while read(fd, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
                handler(Int32(info.ssi_signo))
            }
        }
        self.source.setCancelHandler { @Sendable [fd] in close(fd) }
        self.source.activate()
    }

    deinit {
        self.source.cancel()
    }
}

public struct SignalWatcherError: Error, CustomStringConvertible {
    public var errno: Int32
    public var description: String { "signalfd: \(String(cString: strerror(self.errno)))" }
}
