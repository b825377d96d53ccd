import Dispatch
import Foundation
import Spool

/// Waits for a job to reach `done/` or `failed/`, woken by inotify rather than by sleeping.
public enum SpoolWaiter {
    public enum Outcome: Equatable, Sendable {
        case done, failed, timedOut
    }

    public static func wait(for id: String, in layout: SpoolLayout, timeout: Double = 300) throws -> Outcome {
        let semaphore = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "test.spool-waiter")
        let watchers = try [layout.done, layout.failed].map {
            try InotifyWatcher(directory: $0, mask: [.movedTo, .create], queue: queue) { _ in semaphore.signal() }
        }
        defer { watchers.forEach { $0.cancel() } }
        let deadline = DispatchTime.now() + timeout
        while true {
            if FileManager.default.fileExists(atPath: layout.done(id)) { return .done }
            if FileManager.default.fileExists(atPath: layout.failed(id)) { return .failed }
            if semaphore.wait(timeout: deadline) == .timedOut { return .timedOut }
        }
    }
}
