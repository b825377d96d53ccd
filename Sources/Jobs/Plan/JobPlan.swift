import Formats
import Foundation
import Spool

/// The planning pass over a job's inputs, the same for the daemon, `enrichctl estimate` and `enrichctl validate`,
/// so a preview never differs from what the daemon will do and pay: contacts first (which accounts they belong
/// to), then every customer row (unique ids, the segment, one lookup per address kind with a company name), then
/// the contacts of in-scope accounts (one lookup each, in the context of the account's company).
///
/// Distinct queries (equal match keys) are numbered as they are first seen (``rawKeys``); ``group(known:)`` then
/// applies the job's matching rules (``LookupGrouping``) and numbers the lookups that are paid for or answered
/// (``lookupKeys``), which the daemon sends and the tools count.
public struct JobPlan {
    public init() {}

    public var rows = 0
    public var inScope = 0
    /// Rows and address kinds with a lookup (customers) plus contacts with one: what dedup is measured against.
    public var queryRows = 0
    /// Customer rows and address kinds without a company name, or with a placeholder (`InvalidInput` in the output).
    public var invalidInput = 0
    /// Of those, the placeholder names (`N/A`, `Unknown`, a legal form alone…).
    public var placeholders = 0
    /// In-scope customer rows with at least one address kind without a company name.
    public var invalidRows = 0
    /// Contacts of in-scope accounts that are looked up.
    public var contacts = 0
    /// Raw company values → lookup number, shared by the plan and the write pass (see CustomerSource.currentLookup).
    public var memo = ByteKeyMemo(limit: 65_536)
    /// The company each in-scope account that has contacts is looked up by (for its contacts' context).
    public var accountCompanies: [String: CompanyQuery] = [:]
    /// In-scope accounts that have contacts (a contact of an account outside the segment is out of scope too).
    public var inScopeAccounts = Set<String>()
    /// Hashes of every customer id, to find duplicates and contacts whose account does not exist.
    public var customerIDHashes = Set<Int>()
    /// What the scan found that the job's author would not expect but that does not fail it (a segment that
    /// selects nothing, a segment value no row holds): `result.json`'s `warnings`.
    public var warnings: [String] = []

    /// The distinct queries, numbered in the order first seen: match key, query, rows (and contacts) asking it.
    public private(set) var rawKeys: [String] = []
    public private(set) var rawIndex: [String: Int] = [:]
    /// Per distinct query, its key's parts as ``CompanyKeyParts/init(key:)`` reads them (`nil` for persons).
    private var rawParts: [CompanyKeyParts?] = []
    private var rawQueries: [LookupQuery] = []
    private var rawRows: [Int] = []
    /// Per distinct query, the distinct cities of its rows (trimmed bytes, and the cities as words), at most
    /// ``citiesKept``: the matching rules tell two fuller twins apart by them.
    private var rawCityBytes: [[[UInt8]]] = []
    private var rawCities: [[[String]]] = []
    public static let citiesKept = 4
    /// After ``group(known:)``: each distinct query's lookup number; the lookups' keys and the queries sent.
    public private(set) var lookupOf: [Int] = []
    public private(set) var lookupKeys: [String] = []
    public private(set) var lookupQueries: [LookupQuery] = []
    /// Lookups saved by each matching rule beyond equal keys.
    public private(set) var savedByRule: [LookupGrouping.Rule: Int] = [:]

    /// The number of a query; a match key not seen before is a new distinct query.
    private mutating func register(_ query: LookupQuery) -> Int {
        let key = query.matchKey
        return self.register(query, key: key, parts: { CompanyKeyParts(key: key) })
    }

    /// ``register(_:)`` of a company query whose key's parts the row has computed.
    private mutating func register(_ query: CompanyQuery, parts: CompanyKeyParts) -> Int {
        self.register(.company(query), key: parts.key, parts: { parts.readBack })
    }

    private mutating func register(_ query: LookupQuery, key: String, parts: () -> CompanyKeyParts?) -> Int {
        if let index = self.rawIndex[key] { return index }
        let index = self.rawKeys.count
        self.rawIndex[key] = index
        self.rawKeys.append(key)
        self.rawParts.append(parts())
        self.rawQueries.append(query)
        self.rawRows.append(0)
        self.rawCityBytes.append([])
        self.rawCities.append([])
        return index
    }

    /// The lookup a row's ``RowLookup`` leads to, after grouping (the write pass).
    public func lookup(_ row: RowLookup) -> Int? {
        row.index.map { self.lookupOf[$0] }
    }

    /// Applies the descriptor's matching rules to the distinct queries. `known(name)` gives the keys with that
    /// name key already answered outside the job (its ledger, the persistent cache) for the rule across jobs.
    public mutating func group(_ options: LookupGrouping.Options, known: (String) -> [String] = { _ in [] }) {
        // A query whose rows name more cities than were kept has none: no city tells its twin.
        var keyCities = self.rawCities
        for index in keyCities.indices where self.rawCityBytes[index].count > Self.citiesKept { keyCities[index] = [] }
        let grouping = LookupGrouping(keys: self.rawKeys, parts: self.rawParts, rows: self.rawRows, cities: [],
                                      keyCities: keyCities, options: options, known: known)
        self.savedByRule = grouping.saved
        // Each lookup's number by its target: a job key by its position (no string hashed), a known key outside the
        // job by the key.
        var numberAt = [Int](repeating: -1, count: self.rawKeys.count)
        var outsideNumbers: [String: Int] = [:]
        self.lookupOf = []
        self.lookupOf.reserveCapacity(self.rawKeys.count)
        self.lookupKeys = []
        self.lookupQueries = []
        // A lookup is sent with its representative's query (the fuller record, the commonest spelling); a known
        // key outside the job with the first query that joined it (its answer is already there).
        for (index, target) in grouping.target.enumerated() {
            let at = grouping.targetIndex[index]
            if let number = at >= 0 ? (numberAt[at] >= 0 ? numberAt[at] : nil) : outsideNumbers[target] {
                self.lookupOf.append(number)
                continue
            }
            let number = self.lookupKeys.count
            if at >= 0 { numberAt[at] = number } else { outsideNumbers[target] = number }
            self.lookupKeys.append(target)
            self.lookupQueries.append(self.rawQueries[at >= 0 ? at : index])
            self.lookupOf.append(number)
        }
    }

    /// Reads the job's inputs once; throws the first problem the daemon would fail the job for (unreadable or
    /// malformed files, missing columns, a duplicate customer id). `progress` gets the rows and in-scope rows read
    /// so far, every 50,000 rows.
    public mutating func scan(
        _ descriptor: JobDescriptor, bundle: String, inputRoots: [String],
        progress: (_ rows: Int, _ inScope: Int) -> Void = { _, _ in }
    ) throws(JobError) {
        var referencedAccounts = Set<String>()
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { _ in nil }) { referencedAccounts.insert(contact.customerID) }
        }
        let source = try CustomerSource(descriptor: descriptor, bundle: bundle, inputRoots: inputRoots)
        let kinds = source.addressKinds.count
        // The memo is used while `register` changes the plan: held in a local for the scan.
        var memo = ByteKeyMemo(limit: 0)
        swap(&memo, &self.memo)
        defer { swap(&memo, &self.memo) }
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
                switch source.currentLookup(kind, memo: &memo, resolveKey: { self.register($0, parts: $1) }) {
                case .lookup(let index):
                    self.queryRows += 1
                    self.rawRows[index] += 1
                    if self.rawCityBytes[index].count <= Self.citiesKept,
                        source.currentCityIsNew(kind, seen: self.rawCityBytes[index]) == true
                    {
                        // One more than kept marks "more cities than that": no city tells this lookup's twin.
                        self.rawCityBytes[index].append(source.currentCityBytes(kind))
                        if self.rawCityBytes[index].count <= Self.citiesKept, let name = source.currentCity(kind) {
                            self.rawCities[index].append(MatchKey.nameTokens(name))
                        }
                    }
                case .placeholder:
                    self.placeholders += 1
                    self.invalidInput += 1
                    invalid = true
                case .emptyName:
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
        self.warnings = source.segmentWarnings
        if let spec = descriptor.contacts {
            let contacts = try ContactSource(spec: spec, bundle: bundle, inputRoots: inputRoots)
            while let contact = try contacts.next(company: { self.accountCompanies[$0] }) {
                guard let query = contact.query, self.inScopeAccounts.contains(contact.customerID) else { continue }
                self.queryRows += 1
                self.contacts += 1
                self.rawRows[self.register(.person(query))] += 1
            }
        }
    }

    /// Reads the customers again and calls `body` with each in-scope row's id, address kind and the key of the
    /// lookup it shares (`nil`: none, with the reason), after ``group(known:)`` (`enrichctl estimate --keys`).
    public mutating func eachRowKey(
        _ descriptor: JobDescriptor, bundle: String, inputRoots: [String],
        _ body: (_ id: String, _ kind: AddressKind, _ key: String?, _ reason: String?) -> Void
    ) throws(JobError) {
        let source = try CustomerSource(descriptor: descriptor, bundle: bundle, inputRoots: inputRoots)
        let kinds = source.addressKinds
        let rawIndex = self.rawIndex
        while try source.advance() {
            guard source.currentInScope else { continue }
            for kind in kinds.indices {
                let row = source.currentLookup(kind, memo: &self.memo, resolveKey: { _, parts in rawIndex[parts.key] ?? -1 })
                let lookup = self.lookup(row)
                body(source.currentID, kinds[kind], lookup.map { self.lookupKeys[$0] }, row.invalidReason)
            }
        }
    }

    /// A job.json, or the job.json of a bundle directory.
    public static func descriptorFile(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? JobDirectory(path).descriptor : path
    }

    /// The directory a descriptor's relative data files are read from.
    public static func bundle(of descriptorPath: String) -> String {
        (Self.descriptorFile(descriptorPath) as NSString).deletingLastPathComponent
    }

    /// The tools' way in (`enrichctl validate`, `estimate`): reads the descriptor at `descriptorPath` (a job.json
    /// or a bundle directory), runs `check` on it, then plans the job; returns the distinct match keys too.
    public static func preview(
        descriptorPath: String, inputRoots: [String],
        check: (JobDescriptor) throws(JobError) -> Void = { _ in }, known: (String) -> [String] = { _ in [] }
    ) throws(JobError) -> (descriptor: JobDescriptor, plan: JobPlan, keys: [String]) {
        let path = Self.descriptorFile(descriptorPath)
        // The daemon's size limit, checked before anything is read (validate and estimate agree with the daemon
        // about what is too big).
        let data = try JobFile.readDescriptor(path, displayName: (path as NSString).lastPathComponent)
        let descriptor = try JobDescriptor.parse(data, file: (path as NSString).lastPathComponent)
        try check(descriptor)
        var plan = JobPlan()
        try plan.scan(descriptor, bundle: (path as NSString).deletingLastPathComponent, inputRoots: inputRoots)
        plan.group(descriptor.matching, known: known)
        let keys = plan.lookupKeys
        return (descriptor, plan, keys)
    }
}
