import Foundation

/// Counts how often the daemon started while a job was active, in `active/ID/starts`. A job that keeps
/// crashing the daemon (a poison job) is recognised by this count and set aside instead of crash-looping.
public enum StartCounter {
    static func path(_ directory: String) -> String {
        (directory as NSString).appendingPathComponent("starts")
    }

    /// Increments the count durably and returns the new value.
    public static func increment(_ directory: String) -> Int {
        let current = (try? String(contentsOfFile: self.path(directory), encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        try? DurableFile.write(Array("\(current + 1)\n".utf8), to: self.path(directory))
        return current + 1
    }

    /// A graceful stop is not a crash: the count starts over.
    public static func reset(_ directory: String) {
        unlink(self.path(directory))
    }
}
