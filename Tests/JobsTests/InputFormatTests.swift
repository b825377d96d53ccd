import Foundation
import Formats
import Testing

@testable import Jobs

/// What a job says about the files people really export: the descriptor's `"delimiter"` and `"encoding"`, a
/// header naming a column twice, a file that looks like another delimiter, and segment values compared as
/// people mean them (with warnings when they select nothing).
struct InputFormatTests {
    static let base = #""outputTable": "T", "mapping": {"primary": {"companyName": "Name"}}"#

    static func parse(customers: String, extra: String = "") throws -> JobDescriptor {
        try JobDescriptor.parse(Array("{\(Self.base), \"customers\": {\(customers)}\(extra)}".utf8))
    }

    @Test func delimiterAndEncodingArePerInputFile() throws {
        let descriptor = try Self.parse(
            customers: #""file": "a.csv", "idColumn": "Id", "delimiter": ";", "encoding": "Windows-1252""#,
            extra: #", "contacts": {"file": "c.csv", "idColumn": "C", "customerIdColumn": "Id", "delimiter": "\t", "encoding": "utf-16"}"#)
        #expect(descriptor.customers.format == CSVFormat(delimiter: UInt8(ascii: ";"), encoding: .windows1252))
        #expect(descriptor.contacts?.format == CSVFormat(delimiter: UInt8(ascii: "\t"), encoding: .utf16))
        let plain = try Self.parse(customers: #""file": "a.csv", "idColumn": "Id""#)
        #expect(plain.customers.format == CSVFormat())
        for name in TextEncoding.allCases.map(\.rawValue) {
            #expect(try Self.parse(customers: #""file": "a.csv", "idColumn": "Id", "encoding": "\#(name)""#)
                .customers.format.encoding?.rawValue == name)
        }
    }

    @Test(arguments: [
        (#""file": "a.csv", "idColumn": "Id", "delimiter": ":""#, "customers.delimiter", #"use one of "," (the default), ";", "\t" (tab) or "|""#),
        (#""file": "a.csv", "idColumn": "Id", "delimiter": ";;""#, "customers.delimiter", #"use one of"#),
        (#""file": "a.csv", "idColumn": "Id", "encoding": "latin9""#, "customers.encoding",
         #"use one of "utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1" (UTF-8 is the default)"#),
        (#""file": "a.jsonl", "idColumn": "Id", "encoding": "windows-1252""#, "customers.encoding", "convert the file to UTF-8"),
        (#""file": "a.ndjson", "idColumn": "Id", "delimiter": ";""#, "customers.delimiter", #"remove "delimiter""#),
        (#""file": "a.csv", "idColumn": "Id", "delimiter": 59"#, "customers.delimiter", ""),
        (#""file": "a.csv", "idColumn": "Id", "encodnig": "utf-8""#, "customers.encodnig", ""),
    ] as [(String, String, String)])
    func unknownFormatsAreRefusedWithWhatIsAccepted(customers: String, keyPath: String, hint: String) {
        #expect {
            _ = try Self.parse(customers: customers)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.keyPath == keyPath && error.line == 1 && error.column != nil
                && (hint.isEmpty || error.hint?.contains(hint) == true)
        }
        // The same keys under contacts, with their own key path.
        let contacts = #""file": "a.csv", "idColumn": "Id""#
        let contactsKeys = customers.replacingOccurrences(of: #""idColumn": "Id""#,
                                                          with: #""idColumn": "C", "customerIdColumn": "Id""#)
        #expect {
            _ = try Self.parse(customers: contacts, extra: ", \"contacts\": {\(contactsKeys)}")
        } throws: { error in
            (error as? JobError)?.keyPath == keyPath.replacingOccurrences(of: "customers.", with: "contacts.")
        }
    }

    // MARK: - Headers

    func withBundle<T>(_ files: [String: [UInt8]], _ body: (String) throws -> T) throws -> T {
        let bundle = "/tmp/enrichd-input-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        for (name, bytes) in files {
            _ = FileManager.default.createFile(atPath: "\(bundle)/\(name)", contents: Data(bytes))
        }
        return try body(bundle)
    }

    func sourceError(_ csv: String, customers: String = #""file": "a.csv", "idColumn": "CustomerId""#,
                     mapping: String = #"{"companyName": "Name"}"#, contacts: String? = nil) throws -> JobError? {
        let text = "{\"outputTable\": \"T\", \"customers\": {\(customers)}, \"mapping\": {\"primary\": \(mapping)}"
            + (contacts == nil ? "" : ", \"contacts\": {\"file\": \"c.csv\", \"idColumn\": \"ContactId\", \"customerIdColumn\": \"CustomerId\"}")
            + "}"
        let descriptor = try JobDescriptor.parse(Array(text.utf8))
        return try self.withBundle(["a.csv": Array(csv.utf8), "c.csv": Array((contacts ?? "").utf8)]) { (bundle: String) -> JobError? in
            do {
                var plan = JobPlan()
                try plan.scan(descriptor, bundle: bundle, inputRoots: [])
                return nil
            } catch let error as JobError {
                return error
            }
        }
    }

    @Test func aMappedColumnNamedTwiceIsRefusedNamingBothPositions() throws {
        let error = try #require(try self.sourceError("CustomerId,Name,Name\n1,Acme,Globex\n"))
        #expect(error.code == .duplicateColumn && error.keyPath == "mapping.primary.companyName", "\(error)")
        #expect(error.message == #"column "Name" appears 2 times in the header of a.csv (columns 2 and 3)"#)
        #expect(error.hint?.contains("the header has: CustomerId, Name, Name") == true)
        // The id and segment columns too; a duplicate the job does not use is no problem.
        let id = try #require(try self.sourceError("CustomerId,Name,X,CustomerId\n1,Acme,,1\n"))
        #expect(id.code == .duplicateColumn && id.keyPath == "customers.idColumn" && id.message.contains("columns 1 and 4"))
        let segment = try #require(try self.sourceError(
            "CustomerId,Name,Region,Region,Region\n1,Acme,a,b,c\n",
            customers: #""file": "a.csv", "idColumn": "CustomerId", "segment": {"column": "Region", "in": ["a"]}"#))
        #expect(segment.keyPath == "customers.segment.column" && segment.message.contains("columns 3, 4 and 5"))
        #expect(try self.sourceError("CustomerId,Name,Notes,Notes\n1,Acme,a,b\n") == nil)
        // Contacts: explicit and automatically found columns alike.
        let contact = try #require(try self.sourceError(
            "CustomerId,Name\n1,Acme\n", contacts: "ContactId,CustomerId,FirstName,LastName,LastName\nc1,1,Jo,Doe,Roe\n"))
        #expect(contact.code == .duplicateColumn && contact.keyPath == "contacts.mapping.lastName", "\(contact)")
    }

    @Test func aHeaderWithAnotherDelimiterSaysWhichToSet() throws {
        let semicolons = try #require(try self.sourceError("CustomerId;Name;Country\n1;Acme;DE\n"))
        #expect(semicolons.code == .missingColumn && semicolons.keyPath == "customers.idColumn")
        #expect(semicolons.hint?.hasPrefix(#"this looks like a semicolon-separated file: set "delimiter": ";" for customers"#) == true,
                "\(semicolons)")
        let tabs = try #require(try self.sourceError("CustomerId\tName\n1\tAcme\n"))
        #expect(tabs.hint?.hasPrefix(#"this looks like a tab-separated file: set "delimiter": "\t" for customers"#) == true)
        // Set, it reads; a plain misspelt column gets the header list only.
        #expect(try self.sourceError("CustomerId;Name\n1;Acme\n",
                                     customers: #""file": "a.csv", "idColumn": "CustomerId", "delimiter": ";""#) == nil)
        let misspelt = try #require(try self.sourceError("CustomerID,Name\n1,Acme\n"))
        #expect(misspelt.hint == "the header has: CustomerID, Name")
        let contacts = try #require(try self.sourceError(
            "CustomerId,Name\n1,Acme\n", contacts: "ContactId;CustomerId;FirstName;LastName\nc1;1;Jo;Doe\n"))
        #expect(contacts.keyPath == "contacts.idColumn" && contacts.hint?.contains(#"set "delimiter": ";" for contacts"#) == true)
    }

    // MARK: - Segments

    func plan(_ csv: String, segment: String) throws -> JobPlan {
        let text = #"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id", "segment": \#(segment)}, "mapping": {"primary": {"companyName": "Name"}}}"#
        let descriptor = try JobDescriptor.parse(Array(text.utf8))
        return try self.withBundle(["a.csv": Array(csv.utf8), "m.csv": Array("Id\n99\n".utf8)]) { bundle in
            var plan = JobPlan()
            try plan.scan(descriptor, bundle: bundle, inputRoots: [])
            return plan
        }
    }

    static let regions = "Id,Name,Region\n1,Acme,EMEA\n2,Globex, emea \n3,Initech,Amer\n4,Umbrella,STRASSE\n5,Hooli,\n"

    @Test func segmentValuesCompareTrimmedAndCaseFolded() throws {
        let plan = try self.plan(Self.regions, segment: #"{"column": "Region", "in": ["Emea", "straße"]}"#)
        #expect(plan.inScope == 3)
        #expect(plan.warnings.isEmpty)
        #expect(SegmentValues.comparable(" E\u{301}MEA ") == SegmentValues.comparable("émea"))
    }

    @Test func aSegmentThatSelectsNothingOrAValueThatNeverOccursIsAWarning() throws {
        let partly = try self.plan(Self.regions, segment: #"{"column": "Region", "in": ["EMEA", "APAC", "apac"]}"#)
        #expect(partly.inScope == 2)
        #expect(partly.warnings == [#"segment value "APAC" occurs in no row's "Region""#])
        let nothing = try self.plan(Self.regions, segment: #"{"column": "Region", "in": ["LATAM"]}"#)
        #expect(nothing.inScope == 0)
        #expect(nothing.warnings == [#"the segment selects no customer: no row's "Region" is "LATAM" (the column holds values such as "EMEA", "emea", "Amer", "STRASSE")"#])
        let members = try self.plan(Self.regions, segment: #"{"membersFile": "m.csv"}"#)
        #expect(members.inScope == 0 && members.warnings == ["the segment selects no customer (the ids in m.csv)"])
    }
}
