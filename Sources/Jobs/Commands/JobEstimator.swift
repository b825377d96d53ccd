import Formats
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
        /// Of those, the lookups the matching rules beyond equal keys saved (as in result.json).
        public var savedByIncompleteTwins: Int
        public var savedByNearDuplicates: Int
        public var savedByPlaceAfterLegalForm: Int
        /// Rows (and address kinds) whose company name is a placeholder: never looked up.
        public var placeholders: Int
        public var cacheHits: Int
        public var lookupsToPay: Int
        public var contacts: Int
        /// What the job will report as warnings (a segment that selects nothing, a listed value no row holds).
        public var warnings: [String]
    }

    /// - Parameter rowKeys: called per in-scope row and address kind with the key of the lookup it shares
    ///   (`enrichctl estimate --keys`), or `nil` and the reason when it has none.
    public static func estimate(
        descriptorPath: String, inputRoots: [String], cache: LookupCache?,
        rowKeys: ((_ id: String, _ kind: AddressKind, _ key: String?, _ reason: String?) -> Void)? = nil
    ) throws(JobError) -> Estimate {
        var (descriptor, plan, keys) = try JobPlan.preview(descriptorPath: descriptorPath, inputRoots: inputRoots,
                                                           known: { cache?.companyKeys(named: $0) ?? [] })
        var estimate = Estimate(rows: plan.rows, inScope: plan.inScope, invalidInput: plan.invalidInput,
                                lookupRows: plan.queryRows, distinctKeys: keys.count,
                                savedByDedup: plan.queryRows - keys.count,
                                savedByIncompleteTwins: plan.savedByRule[.incompleteTwin, default: 0],
                                savedByNearDuplicates: plan.savedByRule[.nearDuplicate, default: 0],
                                savedByPlaceAfterLegalForm: plan.savedByRule[.placeAfterLegalForm, default: 0],
                                placeholders: plan.placeholders, cacheHits: 0, lookupsToPay: 0,
                                contacts: plan.contacts, warnings: plan.warnings)
        if let rowKeys {
            try plan.eachRowKey(descriptor, bundle: JobPlan.bundle(of: descriptorPath), inputRoots: inputRoots, rowKeys)
        }
        if let cache {
            estimate.cacheHits = keys.reduce(0) { $0 + (cache.lookup($1) == nil ? 0 : 1) }
        }
        estimate.lookupsToPay = keys.count - estimate.cacheHits
        return estimate
    }
}
