import Foundation

/// Counts how often the daemon started while a job was active without the job making progress in between,
/// in `active/ID/starts` (`<starts> <answers recorded>`). A job that keeps crashing the daemon at the same point
/// (a poison job) is recognised by this count and set aside instead of crash-looping the service; a job that
/// advances between restarts (an operator's kill, a power cut) is not.
public enum StartCounter {
    static func path(_ directory: String) -> String {
        JobDirectory(directory).file(JobDirectory.startsName)
    }

    /// Records a start with the job's current progress and returns how many starts in a row saw no progress.
    public static func increment(_ directory: String, progress: Int) -> Int {
        let fields = ((try? String(contentsOfFile: self.path(directory), encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let previousStarts = fields.first ?? 0
        let previousProgress = fields.count > 1 ? fields[1] : -1
        let starts = progress > previousProgress ? 1 : previousStarts + 1
        try? DurableFile.write(Array("\(starts) \(progress)\n".utf8), to: self.path(directory))
        return starts
    }

    /// A graceful stop is not a crash: the count starts over.
    public static func reset(_ directory: String) {
        unlink(self.path(directory))
    }
}
