import Enrichment
import Foundation

/// The planning pass over a job's inputs, the same for the daemon, `enrichctl estimate` and `enrichctl validate`,
/// so a preview never differs from what the daemon will do and pay: contacts first (which accounts they belong
/// to), then every customer row (unique ids, the segment, one lookup per address kind with a company name), then
/// the contacts of in-scope accounts (one lookup each, in the context of the account's company).
///
/// Lookups are handed to `add`, which numbers distinct ones (the daemon keeps them; the tools only count them).
struct JobPlan {
    var rows = 0
    var inScope = 0
    /// Rows and address kinds with a lookup (customers) plus contacts with one: what dedup is measured against.
    var queryRows = 0
    /// Customer rows and address kinds without a company name (`InvalidInput` in the output).
    var invalidInput = 0
    /// In-scope customer rows with at least one address kind without a company name.
    var invalidRows = 0
    /// Contacts of in-scope accounts that are looked up.
    var contacts = 0
    /// Raw company values → lookup number, shared by the plan and the write pass (see CustomerSource.currentLookup).
    var memo = ByteKeyMemo(limit: 65_536)
    /// The company each in-scope account that has contacts is looked up by (for its contacts' context).
    var accountCompanies: [String: CompanyQuery] = [:]
    /// In-scope accounts that have contacts (a contact of an account outside the segment is out of scope too).
    var inScopeAccounts = Set<String>()
    /// Hashes of every customer id, to find duplicates and contacts whose account does not exist.
    var customerIDHashes = Set<Int>()

    /// Reads the job's inputs once; throws the first problem the daemon would fail the job for (unreadable or
    /// malformed files, missing columns, a duplicate customer id). `progress` gets the rows and in-scope rows read
    /// so far, every 50,000 rows.
    mutating func scan(
        _ descriptor: JobDescriptor, bundle: String, inputRoots: [String],
        progress: (_ rows: Int, _ inScope: Int) -> Void = { _, _ in }, add: (LookupQuery) -> Int
    ) throws(JobError) {
        var referencedAccounts = Set<String>()
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { _ in nil }) { referencedAccounts.insert(contact.customerID) }
        }
        let source = try CustomerSource(descriptor: descriptor, bundle: bundle, inputRoots: inputRoots)
        let kinds = source.addressKinds.count
        while try source.advance() {
            self.rows += 1
            if self.rows % 50_000 == 0 { progress(self.rows, self.inScope) }
            if self.rows == 1_000 {
                // Size the id set once for the whole file rather than rehashing it as it grows.
                self.customerIDHashes.reserveCapacity(min(source.estimatedRows * 11 / 10, 20_000_000))
            }
            guard self.customerIDHashes.insert(source.currentIDHash).inserted else {
                throw JobError(.duplicateCustomerId, "customer id \"\(source.currentID)\" appears more than once",
                               file: descriptor.customers.file, line: source.currentLine,
                               hint: "customer ids in \"\(descriptor.customers.idColumn)\" must be unique")
            }
            guard source.currentInScope else { continue }
            self.inScope += 1
            var invalid = false
            for kind in 0..<kinds {
                if source.currentLookup(kind, memo: &self.memo, resolve: { add(.company($0)) }) != nil {
                    self.queryRows += 1
                } else {
                    self.invalidInput += 1
                    invalid = true
                }
            }
            if invalid { self.invalidRows += 1 }
            if !referencedAccounts.isEmpty {
                let id = source.currentID
                if referencedAccounts.contains(id) {
                    self.inScopeAccounts.insert(id)
                    if let first = source.currentQuery(0) { self.accountCompanies[id] = first }
                }
            }
        }
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { self.accountCompanies[$0] }) {
                guard let query = contact.query, self.inScopeAccounts.contains(contact.customerID) else { continue }
                self.queryRows += 1
                self.contacts += 1
                _ = add(.person(query))
            }
        }
    }

    /// The tools' way in (`enrichctl validate`, `estimate`): reads the descriptor at `descriptorPath` (a job.json
    /// or a bundle directory), runs `check` on it, then plans the job; returns the distinct match keys too.
    static func preview(
        descriptorPath: String, inputRoots: [String],
        check: (JobDescriptor) throws(JobError) -> Void = { _ in }
    ) throws(JobError) -> (descriptor: JobDescriptor, plan: JobPlan, keys: [String]) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: descriptorPath, isDirectory: &isDirectory)
        let path = exists && isDirectory.boolValue ? (descriptorPath as NSString).appendingPathComponent("job.json")
            : descriptorPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobError(.fileNotFound, "cannot read the job descriptor", file: path)
        }
        let descriptor = try JobDescriptor.parse([UInt8](data), file: (path as NSString).lastPathComponent)
        try check(descriptor)
        var keys: [String] = []
        var numbers: [String: Int] = [:]
        var plan = JobPlan()
        try plan.scan(descriptor, bundle: (path as NSString).deletingLastPathComponent, inputRoots: inputRoots) { query in
            let key = query.matchKey
            if let number = numbers[key] { return number }
            numbers[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        return (descriptor, plan, keys)
    }
}
