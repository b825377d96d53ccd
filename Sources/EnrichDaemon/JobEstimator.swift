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
        let (_, plan, keys) = try JobPlan.preview(descriptorPath: descriptorPath, inputRoots: inputRoots)
        var estimate = Estimate(rows: plan.rows, inScope: plan.inScope, invalidInput: plan.invalidInput,
                                lookupRows: plan.queryRows, distinctKeys: keys.count,
                                savedByDedup: plan.queryRows - keys.count, cacheHits: 0, lookupsToPay: 0,
                                contacts: plan.contacts)
        if let cache {
            estimate.cacheHits = keys.reduce(0) { $0 + (cache.lookup($1) == nil ? 0 : 1) }
        }
        estimate.lookupsToPay = keys.count - estimate.cacheHits
        return estimate
    }
}
