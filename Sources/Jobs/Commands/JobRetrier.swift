import Formats
import Foundation
import Spool

/// Requeues a failed or cancelled job: its inputs and its ledger of paid answers go back to `incoming/`,
/// its outputs and error report are dropped.
public enum JobRetrier {
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// No failed or cancelled job has this id.
            case noSuchJob
            /// The job is not in a state that can be retried (it succeeded, is queued again, or is not a job).
            case refused
        }

        public var kind: Kind
        public var description: String

        init(_ kind: Kind, description: String) {
            self.kind = kind
            self.description = description
        }
    }

    static let derivedFiles = JobDirectory.derivedNames

    public static func retry(id: String, layout: SpoolLayout) throws -> String {
        guard SpoolLayout.isValidID(id) else { throw Failure(.noSuchJob, description: "\"\(id)\" is not a job id") }
        var source = layout.failed(id)
        if !FileManager.default.fileExists(atPath: source) {
            source = layout.done(id)
            let resultPath = JobDirectory(source).result
            guard let data = FileManager.default.contents(atPath: resultPath),
                let result = try? JSONDecoder().decode(ResultSummary.self, from: data)
            else {
                let queued = ["incoming/\(id)", "incoming/\(id).json", "active/\(id)"].contains { entry in
                    var status = stat()
                    return lstat(layout.path(entry), &status) == 0
                }
                if queued {
                    throw Failure(.refused, description: "\(id) is queued or active, not failed: there is nothing to retry")
                }
                throw Failure(.noSuchJob, description: "no failed or cancelled job \(id) (enrichctl list shows the jobs)")
            }
            guard result.state == .cancelled else {
                throw Failure(.refused, description: "\(id) \(result.state.words); only failed or cancelled jobs are retried")
            }
        }
        guard FileManager.default.fileExists(atPath: JobDirectory(source).descriptor) else {
            throw Failure(.refused, description: "\(id) has no job.json (it was not a job); submit the job again instead")
        }
        let destination = layout.path("incoming", id)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure(.refused, description: "\(id) is already queued")
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
