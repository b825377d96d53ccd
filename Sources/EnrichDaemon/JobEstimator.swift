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
        var estimate = Estimate(rows: 0, inScope: 0, invalidInput: 0, lookupRows: 0, distinctKeys: 0, savedByDedup: 0,
                                cacheHits: 0, lookupsToPay: 0, contacts: 0)
        var keys = Set<String>()
        var accounts: [String: CompanyQuery] = [:]
        let customers = try CustomerSource(descriptor: descriptor, bundle: bundle, inputRoots: inputRoots)
        while let record = try customers.next() {
            estimate.rows += 1
            guard record.inScope else { continue }
            estimate.inScope += 1
            for (_, query) in record.queries {
                guard let query else {
                    estimate.invalidInput += 1
                    continue
                }
                estimate.lookupRows += 1
                keys.insert(query.matchKey)
            }
            if descriptor.contacts != nil, let first = record.queries.first?.query { accounts[record.id] = first }
        }
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { accounts[$0] }) {
                guard let query = contact.query, accounts[contact.customerID] != nil else { continue }
                estimate.contacts += 1
                estimate.lookupRows += 1
                keys.insert(query.matchKey)
            }
        }
        estimate.distinctKeys = keys.count
        estimate.savedByDedup = estimate.lookupRows - keys.count
        if let cache {
            estimate.cacheHits = keys.reduce(0) { $0 + (cache.lookup($1) == nil ? 0 : 1) }
        }
        estimate.lookupsToPay = keys.count - estimate.cacheHits
        return estimate
    }
}
