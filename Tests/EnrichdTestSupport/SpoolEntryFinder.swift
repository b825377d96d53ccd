import Dispatch
import Foundation
import Spool

/// Finds a job whose id is not known in advance (the daemon gave it a fresh one: a name that is not a valid id, or
/// an id already taken) in `done/` or `failed/`, woken by inotify like ``SpoolWaiter``.
public enum SpoolEntryFinder {
    /// The first id in `done/` or `failed/` satisfying `matches`, with where it is; `nil` on timeout.
    public static func wait(in layout: SpoolLayout, timeout: Double = 60,
                            matching matches: (String) -> Bool) throws -> (id: String, outcome: SpoolWaiter.Outcome)? {
        let semaphore = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "test.spool-entry-finder")
        let watchers = try [layout.done, layout.failed].map {
            try InotifyWatcher(directory: $0, mask: [.movedTo, .create], queue: queue) { _ in semaphore.signal() }
        }
        defer { watchers.forEach { $0.cancel() } }
        let deadline = DispatchTime.now() + timeout
        while true {
            for (directory, outcome) in [(layout.done, SpoolWaiter.Outcome.done), (layout.failed, .failed)] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                if let id = names.sorted().first(where: matches) { return (id, outcome) }
            }
            if semaphore.wait(timeout: deadline) == .timedOut { return nil }
        }
    }
}

/// Byte-exact file system calls for names that are not valid UTF-8 or contain newlines.
public enum RawPath {
    /// `directory` + "/" + `name` as a NUL-terminated C path.
    public static func join(_ directory: String, _ name: [UInt8]) -> [CChar] {
        (Array(directory.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
    }

    @discardableResult
    public static func rename(_ from: [CChar], _ to: [CChar]) -> Int32 { Glibc.rename(from, to) }

    @discardableResult
    public static func mkdir(_ path: [CChar], _ mode: mode_t = 0o755) -> Int32 { Glibc.mkdir(path, mode) }

    /// Writes `contents` to the byte path.
    public static func write(_ path: [CChar], _ contents: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == contents.count
    }
}

/// `/proc/PID/status` values in kB (e.g. `VmHWM`, the peak resident set size).
public enum ProcessStatus {
    public static func kilobytes(_ field: String, pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}
