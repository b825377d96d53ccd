import Foundation

/// Checks a job the way the daemon will, without sending anything: descriptor, files, columns, every row.
public enum JobValidator {
    public struct Report: Sendable {
        public var descriptor: JobDescriptor
        public var rows: Int
        public var inScope: Int
        public var invalidRows: Int
    }

    public static func validate(descriptorPath: String, inputRoots: [String] = []) throws(JobError) -> Report {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: descriptorPath, isDirectory: &isDirectory)
        let path = exists && isDirectory.boolValue ? (descriptorPath as NSString).appendingPathComponent("job.json")
            : descriptorPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobError(.fileNotFound, "cannot read the job descriptor", file: path)
        }
        let descriptor = try JobDescriptor.parse([UInt8](data), file: (path as NSString).lastPathComponent)
        let source = try CustomerSource(descriptor: descriptor, bundle: (path as NSString).deletingLastPathComponent,
                                        inputRoots: inputRoots)
        var report = Report(descriptor: descriptor, rows: 0, inScope: 0, invalidRows: 0)
        let kinds = source.addressKinds.indices
        while try source.advance() {
            report.rows += 1
            guard source.currentInScope else { continue }
            report.inScope += 1
            if kinds.contains(where: { !source.currentHasCompanyName($0) }) { report.invalidRows += 1 }
        }
        return report
    }
}
