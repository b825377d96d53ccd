/// A person to look up: the contact's own fields and the company of its account, as the user wrote them.
public struct PersonQuery: Sendable, Equatable, Codable {
    public var firstName: String
    public var lastName: String
    public var email: String?
    public var title: String?
    public var company: CompanyQuery?

    public init(firstName: String, lastName: String, email: String? = nil, title: String? = nil,
                company: CompanyQuery? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.title = title
        self.company = company
    }

    /// Contacts with equal keys are looked up once.
    public var matchKey: String {
        "p|" + [MatchKey.name(self.firstName), MatchKey.name(self.lastName), MatchKey.fold(self.email ?? ""),
                self.company?.matchKey ?? ""].joined(separator: "|")
    }
}

/// One contact row: its account, and what to ask (`nil` = not enough input for a person lookup).
public struct ContactRecord: Sendable {
    public var id: String
    public var customerID: String
    public var line: Int
    public var query: PersonQuery?
    public var invalidReason: String?
}

/// Streams a job's contacts file, finding the name and email columns from common header spellings unless the
/// descriptor maps them explicitly.
public final class ContactSource {
    public let spec: ContactsSpec
    private let reader: CSVReader
    private let idIndex: Int
    private let customerIndex: Int
    private let firstNameIndex: Int
    private let lastNameIndex: Int
    private let emailIndex: Int?
    private let titleIndex: Int?

    /// Header spellings recognised for each field, compared without case, spaces, `_` and `-`.
    public static let firstNameSpellings = ["firstname", "givenname", "forename", "first", "fname"]
    public static let lastNameSpellings = ["lastname", "surname", "familyname", "last", "lname"]
    public static let emailSpellings = ["email", "emailaddress", "primaryemail", "workemail", "businessemail",
                                        "mail", "emailaddress1"]
    public static let titleSpellings = ["title", "jobtitle", "position", "role"]

    public init(spec: ContactsSpec, bundle: String, inputRoots: [String]) throws(JobError) {
        self.spec = spec
        let path = try JobPaths.resolve(spec.file, bundle: bundle, inputRoots: inputRoots, keyPath: "contacts.file")
        let reader = try CSVReader(path: path, displayName: spec.file, format: spec.format, settingsKey: "contacts")
        self.reader = reader
        let header = HeaderColumns(reader: reader, file: spec.file, settingsKey: "contacts")
        let headerList = header.headerList
        func column(_ name: String, _ keyPath: String) throws(JobError) -> Int {
            try header.index(of: name, keyPath: keyPath)
        }
        func find(_ explicit: String?, _ spellings: [String], _ key: String, required: Bool) throws(JobError) -> Int? {
            if let explicit { return try column(explicit, "contacts.mapping.\(key)") }
            if let index = Self.detect(reader.header, spellings) {
                return try column(reader.header[index], "contacts.mapping.\(key)")
            }
            guard !required else {
                var hint = "name it explicitly in \"contacts\": {\"mapping\": {\"\(key)\": \"<column>\"}}; the header has: \(headerList)"
                if reader.header.count == 1 { hint = header.missingHint("") }
                throw JobError(.missingColumn, "no \(key) column found in \(spec.file)", file: "job.json",
                               keyPath: "contacts.mapping.\(key)", hint: hint)
            }
            return nil
        }
        self.idIndex = try column(spec.idColumn, "contacts.idColumn")
        self.customerIndex = try column(spec.customerIdColumn, "contacts.customerIdColumn")
        self.firstNameIndex = try find(spec.firstName, Self.firstNameSpellings, "firstName", required: true)!
        self.lastNameIndex = try find(spec.lastName, Self.lastNameSpellings, "lastName", required: true)!
        self.emailIndex = try find(spec.email, Self.emailSpellings, "email", required: false)
        self.titleIndex = try find(spec.title, Self.titleSpellings, "title", required: false)
    }

    static func detect(_ header: [String], _ spellings: [String]) -> Int? {
        let folded = header.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } }
        for spelling in spellings {
            if let index = folded.firstIndex(of: spelling) { return index }
        }
        return nil
    }

    /// The next contact; `company` supplies the account's company for the lookup's context.
    public func next(company: (String) -> CompanyQuery?) throws(JobError) -> ContactRecord? {
        guard let record = try self.reader.next() else { return nil }
        let fields = record.fields
        func value(_ index: Int?) -> String? {
            guard let index else { return nil }
            let value = fields[index].trimmed
            return value.isEmpty ? nil : value
        }
        let customerID = value(self.customerIndex) ?? ""
        var contact = ContactRecord(id: value(self.idIndex) ?? "", customerID: customerID, line: record.line)
        guard let first = value(self.firstNameIndex), let last = value(self.lastNameIndex) else {
            contact.invalidReason = "a person lookup needs a first and a last name"
            return contact
        }
        let account = company(customerID)
        let email = value(self.emailIndex)
        guard account != nil || email != nil else {
            contact.invalidReason = "a person lookup needs the account's company or an email"
            return contact
        }
        contact.query = PersonQuery(firstName: first, lastName: last, email: email, title: value(self.titleIndex),
                                    company: account)
        return contact
    }
}

import Formats
import Foundation
