import Enrichment
import Foundation

/// The cost preview of a job, before any credit is spent: rows, rows in scope, distinct lookups, cache hits,
/// and the lookups that would be paid.
public enum JobEstimator {
    public struct Estimate: Codable, Sendable {
        public var rows: Int
        public var inScope: Int
        public var invalidInput: Int
        public var lookupRows: Int
        public var distinctKeys: Int
        public var savedByDedup: Int
        public var cacheHits: Int
        public var lookupsToPay: Int
        public var contacts: Int
    }

    public static func estimate(descriptorPath: String, inputRoots: [String], cache: LookupCache?) throws(JobError)
        -> Estimate
    {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: descriptorPath, isDirectory: &isDirectory)
        let path = isDirectory.boolValue ? (descriptorPath as NSString).appendingPathComponent("job.json") : descriptorPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobError(.fileNotFound, "cannot read the job descriptor", file: path)
        }
        let descriptor = try JobDescriptor.parse([UInt8](data), file: (path as NSString).lastPathComponent)
        let bundle = (path as NSString).deletingLastPathComponent
        var keys: [String: Int] = [:]
        var plan = JobPlan()
        try plan.scan(descriptor, bundle: bundle, inputRoots: inputRoots) { query in
            let key = query.matchKey
            if let index = keys[key] { return index }
            keys[key] = keys.count
            return keys.count - 1
        }
        var estimate = Estimate(rows: plan.rows, inScope: plan.inScope, invalidInput: plan.invalidInput,
                                lookupRows: plan.queryRows, distinctKeys: 0, savedByDedup: 0, cacheHits: 0,
                                lookupsToPay: 0, contacts: plan.contacts)
        estimate.distinctKeys = keys.count
        estimate.savedByDedup = estimate.lookupRows - keys.count
        if let cache {
            estimate.cacheHits = keys.keys.reduce(0) { $0 + (cache.lookup($1) == nil ? 0 : 1) }
        }
        estimate.lookupsToPay = keys.count - estimate.cacheHits
        return estimate
    }
}
