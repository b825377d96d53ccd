import Formats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a job's customers file through its mapping and segment. Opening it checks every named column
/// against the header; reading it twice (plan, then write) never holds more than one record.
public final class CustomerSource {
    public let descriptor: JobDescriptor
    private let reader: CSVReader
    /// The reader's current record, taken once per ``advance()``: the per-row accessors read it several times a
    /// row, and the reader's `current` (a class's optional lines reader or scanner) costs more than its fields.
    private var row: CSVRecord
    /// How many rows ``advance()`` has read: numbers the memo's notes of which entry each row's key is in.
    private var ordinal = 0
    private let idIndex: Int
    private let segmentIndex: Int?
    private var segmentValues: SegmentValues?
    private let members: Set<String>?
    /// Rows the segment selected so far.
    private var selectedRows = 0
    private let mappings: [(AddressKind, ResolvedMapping)]

    struct ResolvedMapping {
        var companyName: Int
        var website: Int?
        var country: Int?
        var state: Int?
        var city: Int?
        var street: Int?
        var postalCode: Int?
    }

    public init(descriptor: JobDescriptor, bundle: String, inputRoots: [String]) throws(JobError) {
        self.descriptor = descriptor
        let path = try JobPaths.resolve(descriptor.customers.file, bundle: bundle, inputRoots: inputRoots,
                                        keyPath: "customers.file")
        let reader = try CSVReader(path: path, displayName: descriptor.customers.file,
                                   format: descriptor.customers.format, settingsKey: "customers")
        self.reader = reader
        let header = HeaderColumns(reader: reader, file: descriptor.customers.file, settingsKey: "customers")
        self.row = reader.current
        func column(_ name: String, _ keyPath: String) throws(JobError) -> Int {
            try header.index(of: name, keyPath: keyPath)
        }
        self.idIndex = try column(descriptor.customers.idColumn, "customers.idColumn")
        if let segment = descriptor.customers.segment {
            self.segmentIndex = try segment.column.map { (name) throws(JobError) in
                try column(name, "customers.segment.column")
            }
            self.segmentValues = segment.column.map { SegmentValues(column: $0, values: segment.values) }
            if let membersFile = segment.membersFile {
                self.members = try Self.readMembers(membersFile, format: descriptor.customers.format, bundle: bundle,
                                                    inputRoots: inputRoots)
            } else {
                self.members = nil
            }
        } else {
            self.segmentIndex = nil
            self.segmentValues = nil
            self.members = nil
        }
        var mappings: [(AddressKind, ResolvedMapping)] = []
        for kind in descriptor.identifyBy {
            let mapping = descriptor.mappings[kind]!
            let prefix = "mapping.\(kind.rawValue)."
            func optional(_ name: String?, _ key: String) throws(JobError) -> Int? {
                guard let name else { return nil }
                return try column(name, prefix + key)
            }
            mappings.append((kind, ResolvedMapping(
                companyName: try column(mapping.companyName, prefix + "companyName"),
                website: try optional(mapping.website, "website"),
                country: try optional(mapping.country, "location.country"),
                state: try optional(mapping.state, "location.state"),
                city: try optional(mapping.city, "location.city"),
                street: try optional(mapping.street, "location.street"),
                postalCode: try optional(mapping.postalCode, "location.postalCode")
            )))
        }
        self.mappings = mappings
    }

    /// A segment's member-id file: one id per line, a CSV whose first column holds them, or JSON Lines whose
    /// first key does. A CSV is read with the customers file's `delimiter` and `encoding` (the same export
    /// tool wrote both), a UTF-16 byte order mark whatever they say.
    private static func readMembers(_ name: String, format: CSVFormat, bundle: String, inputRoots: [String])
        throws(JobError) -> Set<String>
    {
        let path = try JobPaths.resolve(name, bundle: bundle, inputRoots: inputRoots, keyPath: "customers.segment.membersFile")
        let reader = try CSVReader(path: path, displayName: name, format: format, settingsKey: "customers")
        // A CSV's first line may be an id as well as a header; a JSON Lines "header" is a key.
        var members: Set<String> = reader.isJSONLines ? [] : [reader.header[0]]
        while let record = try reader.next() {
            members.insert(record.fields[0].trimmed)
        }
        return members
    }

    // MARK: - Row by row, without building strings

    /// The address kinds of `identifyBy`, in order; `kind` arguments below index this.
    public var addressKinds: [AddressKind] { self.mappings.map(\.0) }

    /// Reads the next row; `false` at the end of the file. The row is then read through the `current…` members.
    public func advance() throws(JobError) -> Bool {
        guard try self.reader.advance() else { return false }
        self.row = self.reader.current
        self.ordinal += 1
        var inScope = true
        if let segmentIndex {
            inScope = self.segmentValues!.contains(self.row.string(segmentIndex))
        }
        if inScope, let members { inScope = members.contains(self.currentID) }
        self.currentInScope = inScope
        if inScope { self.selectedRows += 1 }
        return true
    }

    /// Once every row was read: what the segment did that its author would not expect (a listed value that no
    /// row holds, nothing selected).
    public var segmentWarnings: [String] {
        guard let segment = self.descriptor.customers.segment else { return [] }
        var warnings = self.segmentValues?.warnings ?? []
        if self.selectedRows == 0 && !warnings.contains(where: { $0.hasPrefix("the segment selects no customer") }) {
            let by = [segment.column.map { "\"\($0)\" in \(segment.values)" },
                      segment.membersFile.map { "the ids in \($0)" }].compactMap { $0 }.joined(separator: " and ")
            warnings.append("the segment selects no customer (\(by))")
        }
        return warnings
    }

    /// The number of rows the file probably has, from the size of those read so far (read a few hundred first).
    public var estimatedRows: Int {
        let consumed = self.reader.consumedBytes
        guard consumed > 0, self.reader.recordLine > 1 else { return 0 }
        return Int(Double(self.reader.fileSize) / Double(consumed) * Double(self.reader.recordLine - 1))
    }

    /// Whether the current row is in the customer set (segment).
    public private(set) var currentInScope = true

    /// The line where the current row starts.
    public var currentLine: Int { self.reader.recordLine }

    /// The current row's customer id, trimmed.
    public var currentID: String { self.row.string(self.idIndex).trimmed }

    /// Calls `body` with the bytes of the current row's trimmed customer id.
    public func withCurrentID<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let trimmed = Self.trimmedASCII(self.row.field(self.idIndex)) { return try body(trimmed) }
        var id = self.currentID
        return try id.withUTF8(body)
    }

    /// The bytes of the current row's trimmed customer id when trimming needs no Unicode (an ASCII byte at each
    /// end), valid until the next ``advance()``; `nil` otherwise (use ``withCurrentID(_:)``). Lets the write pass
    /// copy the id per row without a closure.
    public var currentIDBytes: UnsafeBufferPointer<UInt8>? { Self.trimmedASCII(self.row.field(self.idIndex)) }

    /// A hash of the current row's customer id (the same as ``idHash(_:)`` of ``currentID``).
    public var currentIDHash: Int { self.withCurrentID(ByteKeyMemo.hash) }

    /// The hash ``currentIDHash`` gives for a customer id.
    public static func idHash(_ id: String) -> Int {
        var id = id
        return id.withUTF8(ByteKeyMemo.hash)
    }

    /// Whether the current row names a company for address kind `kind` (anything left after trimming).
    public func currentHasCompanyName(_ kind: Int) -> Bool {
        let index = self.mappings[kind].1.companyName
        if let trimmed = Self.trimmedASCII(self.row.field(index)) { return !trimmed.isEmpty }
        return !self.row.string(index).trimmed.isEmpty
    }

    /// Whether the current row's city for address kind `kind` (its trimmed bytes) is none of `seen`; `nil` when
    /// the mapping has no city or the row leaves it empty. Lets the plan note each lookup's distinct cities with a
    /// byte comparison per row instead of a string or a hash.
    public func currentCityIsNew(_ kind: Int, seen: [[UInt8]]) -> Bool? {
        guard let index = self.mappings[kind].1.city else { return nil }
        func isNew(_ city: UnsafeBufferPointer<UInt8>) -> Bool? {
            guard !city.isEmpty else { return nil }
            for known in seen where known.count == city.count {
                if known.withUnsafeBufferPointer({ memcmp($0.baseAddress!, city.baseAddress!, city.count) == 0 }) {
                    return false
                }
            }
            return true
        }
        if let trimmed = Self.trimmedASCII(self.row.field(index)) { return isNew(trimmed) }
        var city = self.row.string(index).trimmed
        return city.withUTF8(isNew)
    }

    /// The bytes ``currentCityIsNew(_:seen:)`` compares for the current row's city (its trimmed UTF-8).
    public func currentCityBytes(_ kind: Int) -> [UInt8] {
        guard let index = self.mappings[kind].1.city else { return [] }
        if let trimmed = Self.trimmedASCII(self.row.field(index)) { return Array(trimmed) }
        return Array(self.row.string(index).trimmed.utf8)
    }

    /// The current row's city for address kind `kind`, trimmed; `nil` when unmapped or empty.
    public func currentCity(_ kind: Int) -> String? {
        guard let index = self.mappings[kind].1.city else { return nil }
        let city = self.row.string(index).trimmed
        return city.isEmpty ? nil : city
    }

    /// The query of the current row for address kind `kind`; `nil` when its company name is empty or a
    /// placeholder (``MatchKey/isPlaceholder(_:)``).
    public func currentQuery(_ kind: Int) -> CompanyQuery? {
        self.currentQuery(kind, keyed: false)?.query
    }

    /// ``currentQuery(_:)`` and, when `keyed`, the parts of its ``CompanyQuery/matchKey``: the name is tokenized
    /// once for the placeholder check and the key, the website reduced to its domain once for the free-mail check
    /// and the key.
    private func currentQuery(_ kind: Int, keyed: Bool) -> (query: CompanyQuery, key: CompanyKeyParts?)? {
        let mapping = self.mappings[kind].1
        let row = self.row
        func value(_ index: Int?) -> String? {
            guard let index else { return nil }
            let value = row.string(index).trimmed
            return value.isEmpty ? nil : value
        }
        guard let name = value(mapping.companyName) else { return nil }
        let tokens = MatchKey.nameTokens(name)
        guard !MatchKey.isPlaceholder(tokens: tokens) else { return nil }
        // A free-mail address says nothing about the company: never sent as its website. (A trimmed website that
        // is not empty is free mail exactly when its domain is "".)
        var website = value(mapping.website)
        let domain = website.map(MatchKey.domain) ?? ""
        if domain.isEmpty { website = nil }
        let query = CompanyQuery(
            name: name, website: website, country: value(mapping.country), state: value(mapping.state),
            city: value(mapping.city), street: value(mapping.street), postalCode: value(mapping.postalCode))
        guard keyed else { return (query, nil) }
        return (query, CompanyQuery.keyParts(nameTokens: tokens, domain: domain, country: query.country))
    }

    /// The lookup the current row asks for with address kind `kind`, as the number `resolve` gives its query, or
    /// why it has none (an empty or placeholder company name).
    ///
    /// Rows repeat companies: the raw name, website and country (all a match key depends on) are looked up in
    /// `memo` first, and only a row with values not seen before builds its query, normalizes it and calls
    /// `resolve` — which must give the same number for queries with the same ``CompanyQuery/matchKey``.
    public func currentLookup(_ kind: Int, memo: inout ByteKeyMemo, resolve: (CompanyQuery) throws -> Int) rethrows
        -> RowLookup
    {
        try self.currentLookup(kind, memo: &memo, keyed: false) { query, _ in try resolve(query) }
    }

    /// ``currentLookup(_:memo:resolve:)`` whose `resolve` is also given the parts of the query's match key.
    func currentLookup(_ kind: Int, memo: inout ByteKeyMemo, resolveKey: (CompanyQuery, CompanyKeyParts) throws -> Int)
        rethrows -> RowLookup
    {
        try self.currentLookup(kind, memo: &memo, keyed: true) { query, key in try resolveKey(query, key!) }
    }

    private func currentLookup(
        _ kind: Int, memo: inout ByteKeyMemo, keyed: Bool, resolve: (CompanyQuery, CompanyKeyParts?) throws -> Int
    ) rethrows -> RowLookup {
        let mapping = self.mappings[kind].1
        let row = self.row
        // The memo key: name NUL website NUL country (NUL never occurs in a field).
        let name = row.field(mapping.companyName)
        let website = mapping.website.map(row.field) ?? UnsafeBufferPointer(start: nil, count: 0)
        let country = mapping.country.map(row.field) ?? UnsafeBufferPointer(start: nil, count: 0)
        // A later pass over the rows (the write pass) finds the entry the plan noted for this row and compares.
        let position = (self.ordinal - 1) * self.mappings.count + kind
        if let recalled = memo.recalled(at: position, name, website, country) { return RowLookup(memo: recalled) }
        let (remembered, hash) = Self.withMemoKey(name, website, country) { key in
            let hash = ByteKeyMemo.hash(key)
            return (memo.value(for: key, hash: hash, noting: position), hash)
        }
        if let remembered { return RowLookup(memo: remembered) }
        let lookup: RowLookup
        if let (query, key) = self.currentQuery(kind, keyed: keyed) {
            lookup = .lookup(try resolve(query, key))
        } else {
            lookup = self.currentHasCompanyName(kind) ? .placeholder : .emptyName
        }
        Self.withMemoKey(name, website, country) { key in
            memo.insert(key, hash: hash, value: lookup.memoValue, noting: position)
        }
        return lookup
    }

    /// Calls `body` with name NUL website NUL country (NUL never occurs in a field), built on the stack.
    @inline(__always)
    private static func withMemoKey<R>(
        _ name: UnsafeBufferPointer<UInt8>, _ website: UnsafeBufferPointer<UInt8>,
        _ country: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + website.count + country.count + 2) { key in
            var at = key.baseAddress!
            func put(_ part: UnsafeBufferPointer<UInt8>) {
                if let base = part.baseAddress { at.update(from: base, count: part.count) }
                at += part.count
            }
            put(name)
            at.pointee = 0
            at += 1
            put(website)
            at.pointee = 0
            at += 1
            put(country)
            return body(UnsafeBufferPointer(key))
        }
    }

    /// The bytes without ASCII whitespace at either end; `nil` when a non-ASCII byte is at an end (it may be
    /// Unicode whitespace: the caller trims the string).
    static func trimmedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || (bytes[start] >= 0x09 && bytes[start] <= 0x0D) { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || (bytes[end - 1] >= 0x09 && bytes[end - 1] <= 0x0D) { end -= 1 }
        if start < end, bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 { return nil }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}

/// What one row asks for with one address kind: a lookup (its number in the job), or why it has none.
public enum RowLookup: Hashable, Sendable {
    case lookup(Int)
    /// The mapped company name is empty.
    case emptyName
    /// The company name is a placeholder (`N/A`, `Unknown`, a legal form alone…): not a company.
    case placeholder

    /// The number, for rows with a lookup.
    public var index: Int? {
        if case .lookup(let index) = self { return index }
        return nil
    }

    /// The reason an output row gives for a row without a lookup.
    public var invalidReason: String? {
        switch self {
        case .lookup: nil
        case .emptyName: "invalid input: companyName empty"
        case .placeholder: "placeholder name"
        }
    }

    init(memo value: Int32) {
        switch value {
        case -2: self = .placeholder
        case ..<0: self = .emptyName
        default: self = .lookup(Int(value))
        }
    }

    var memoValue: Int32 {
        switch self {
        case .lookup(let index): Int32(clamping: index)
        case .emptyName: -1
        case .placeholder: -2
        }
    }
}
