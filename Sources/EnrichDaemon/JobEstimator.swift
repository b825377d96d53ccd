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
        var keys: [String: Int] = [:]
        func number(_ key: String) -> Int {
            if let index = keys[key] { return index }
            keys[key] = keys.count
            return keys.count - 1
        }
        var accounts: [String: CompanyQuery] = [:]
        var memo = ByteKeyMemo(limit: 65_536)
        let customers = try CustomerSource(descriptor: descriptor, bundle: bundle, inputRoots: inputRoots)
        while try customers.advance() {
            estimate.rows += 1
            guard customers.currentInScope else { continue }
            estimate.inScope += 1
            for kind in customers.addressKinds.indices {
                guard customers.currentLookup(kind, memo: &memo, resolve: { number($0.matchKey) }) != nil else {
                    estimate.invalidInput += 1
                    continue
                }
                estimate.lookupRows += 1
            }
            if descriptor.contacts != nil, let first = customers.currentQuery(0) { accounts[customers.currentID] = first }
        }
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { accounts[$0] }) {
                guard let query = contact.query, accounts[contact.customerID] != nil else { continue }
                estimate.contacts += 1
                estimate.lookupRows += 1
                _ = number(query.matchKey)
            }
        }
        estimate.distinctKeys = keys.count
        estimate.savedByDedup = estimate.lookupRows - keys.count
        if let cache {
            estimate.cacheHits = keys.keys.reduce(0) { $0 + (cache.lookup($1) == nil ? 0 : 1) }
        }
        estimate.lookupsToPay = keys.count - estimate.cacheHits
        return estimate
    }
}
