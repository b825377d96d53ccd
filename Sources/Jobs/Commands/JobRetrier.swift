import Formats
import Foundation
import Spool

/// Requeues a failed or cancelled job: its inputs and its ledger of paid answers go back to `incoming/`,
/// its outputs and error report are dropped.
public enum JobRetrier {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let derivedFiles = JobDirectory.derivedNames

    public static func retry(id: String, layout: SpoolLayout) throws -> String {
        guard SpoolLayout.isValidID(id) else { throw Failure(description: "\"\(id)\" is not a job id") }
        var source = layout.failed(id)
        if !FileManager.default.fileExists(atPath: source) {
            source = layout.done(id)
            let resultPath = JobDirectory(source).result
            guard let data = FileManager.default.contents(atPath: resultPath),
                let result = try? JSONDecoder().decode(ResultSummary.self, from: data)
            else {
                throw Failure(description: "\(id) is neither failed nor cancelled (see enrichctl list)")
            }
            guard result.state == .cancelled else {
                throw Failure(description: "\(id) finished (\(result.state.rawValue)); only failed or cancelled jobs are retried")
            }
        }
        guard FileManager.default.fileExists(atPath: JobDirectory(source).descriptor) else {
            throw Failure(description: "\(id) has no job.json (it was not a job); submit the job again instead")
        }
        let destination = layout.path("incoming", id)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure(description: "\(id) is already queued")
        }
        let table = (try? JobDescriptor.parse([UInt8](FileManager.default.contents(
            atPath: JobDirectory(source).descriptor) ?? Data())))?.outputTable
        for name in (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? [] {
            let isOutput = table.map { name == "\($0).csv" || name == "\($0)Contacts.csv" } ?? false
            if Self.derivedFiles.contains(name) || isOutput || name.hasPrefix(".") {
                try FileManager.default.removeItem(atPath: (source as NSString).appendingPathComponent(name))
            }
        }
        try DurableFile.rename(source, to: destination)
        return id
    }
}
