/// One customer row, as the job sees it: in or out of the segment, and what to ask for each address kind.
public struct CustomerRecord: Sendable {
    public var id: String
    public var line: Int
    public var inScope: Bool
    /// One entry per address kind in `identifyBy`; `nil` query = invalid input (empty company name).
    public var queries: [(kind: AddressKind, query: CompanyQuery?)]
}

/// Streams a job's customers file through its mapping and segment. Opening it checks every named column
/// against the header; reading it twice (plan, then write) never holds more than one record.
public final class CustomerSource {
    public let descriptor: JobDescriptor
    private let reader: CSVReader
    private let idIndex: Int
    private let segmentIndex: Int?
    private let segmentValues: Set<String>
    private let members: Set<String>?
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
        let reader = try CSVReader(path: path, displayName: descriptor.customers.file)
        self.reader = reader
        func column(_ name: String, _ keyPath: String) throws(JobError) -> Int {
            guard let index = reader.column(named: name) else {
                throw JobError(.missingColumn, "column \"\(name)\" is not in the header of \(descriptor.customers.file)",
                               file: "job.json", keyPath: keyPath,
                               hint: "the header has: \(reader.header.joined(separator: ", "))")
            }
            return index
        }
        self.idIndex = try column(descriptor.customers.idColumn, "customers.idColumn")
        if let segment = descriptor.customers.segment {
            self.segmentIndex = try segment.column.map { (name) throws(JobError) in
                try column(name, "customers.segment.column")
            }
            self.segmentValues = Set(segment.values)
            if let membersFile = segment.membersFile {
                self.members = try Self.readMembers(membersFile, bundle: bundle, inputRoots: inputRoots)
            } else {
                self.members = nil
            }
        } else {
            self.segmentIndex = nil
            self.segmentValues = []
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

    /// A segment's member-id file: one id per line, or a CSV whose first column holds them.
    private static func readMembers(_ name: String, bundle: String, inputRoots: [String]) throws(JobError) -> Set<String> {
        let path = try JobPaths.resolve(name, bundle: bundle, inputRoots: inputRoots, keyPath: "customers.segment.membersFile")
        let reader = try CSVReader(path: path, displayName: name)
        var members: Set<String> = [reader.header[0]]
        while let record = try reader.next() {
            members.insert(record.fields[0].trimmed)
        }
        return members
    }

    public func next() throws(JobError) -> CustomerRecord? {
        guard let record = try self.reader.next() else { return nil }
        let fields = record.fields
        let id = fields[self.idIndex].trimmed
        var inScope = true
        if let segmentIndex {
            inScope = self.segmentValues.contains(fields[segmentIndex].trimmed)
        }
        if inScope, let members { inScope = members.contains(id) }
        var queries: [(kind: AddressKind, query: CompanyQuery?)] = []
        if inScope {
            for (kind, mapping) in self.mappings {
                func value(_ index: Int?) -> String? {
                    guard let index else { return nil }
                    let value = fields[index].trimmed
                    return value.isEmpty ? nil : value
                }
                guard let name = value(mapping.companyName) else {
                    queries.append((kind, nil))
                    continue
                }
                // A free-mail address says nothing about the company: never sent as its website.
                let website = value(mapping.website).flatMap { MatchKey.isFreeMail($0) ? nil : $0 }
                queries.append((kind, CompanyQuery(
                    name: name, website: website, country: value(mapping.country),
                    state: value(mapping.state), city: value(mapping.city), street: value(mapping.street),
                    postalCode: value(mapping.postalCode))))
            }
        }
        return CustomerRecord(id: id, line: record.line, inScope: inScope, queries: queries)
    }
}

import Foundation
