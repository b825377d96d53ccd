import Formats
import Testing

@testable import Jobs

struct JobDescriptorTests {
    static let valid = """
        {"name": "EMEA", "outputTable": "LeadspaceEMEA",
         "customers": {"file": "accounts.csv", "idColumn": "CustomerId", "segment": {"column": "Segment", "in": ["EMEA"]}},
         "identifyBy": ["primary", "secondary"],
         "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}},
                     "secondary": {"companyName": "Name", "location": {"country": "Country2"}}},
         "contacts": {"file": "contacts.csv", "idColumn": "ContactId", "customerIdColumn": "CustomerId"}}
        """

    @Test func parsesTheDesignDocumentsExample() throws {
        let descriptor = try JobDescriptor.parse(Array(Self.valid.utf8))
        #expect(descriptor.name == "EMEA")
        #expect(descriptor.connection == "default")
        #expect(descriptor.identifyBy == [.primary, .secondary])
        #expect(descriptor.mappings[.primary]?.website == "Website")
        #expect(descriptor.mappings[.secondary]?.country == "Country2")
        #expect(descriptor.customers.segment?.values == ["EMEA"])
        #expect(descriptor.contacts?.customerIdColumn == "CustomerId")
    }

    @Test(arguments: [
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"website": "W"}}}"#,
         "missingKey", "mapping.primary.companyName"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}, "nmae": "x"}"#,
         "unknownKey", "nmae"),
        (#"{"outputTable": 7, "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "wrongType", "outputTable"),
        (#"{"outputTable": "9lives", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "invalidValue", "outputTable"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "identifyBy": ["secondary"], "mapping": {"primary": {"companyName": "N"}}}"#,
         "missingKey", "mapping.secondary"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv"}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "missingKey", "customers.idColumn"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N", "location": {"zip": "Z"}}}}"#,
         "unknownKey", "mapping.primary.location.zip"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}, "matching": {"nearDuplicates": "some"}}"#,
         "invalidValue", "matching.nearDuplicates"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}, "matching": {"twins": true}}"#,
         "unknownKey", "matching.twins"),
        (#"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}, "matching": {"incompleteTwins": "yes"}}"#,
         "wrongType", "matching.incompleteTwins"),
    ] as [(String, String, String)])
    func rejectsWithACodeAndKeyPath(text: String, code: String, keyPath: String) {
        #expect {
            try JobDescriptor.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.code.rawValue == code && error.keyPath == keyPath && error.line != nil
        }
    }

    @Test func matchingRulesAreOnByDefaultAndCanBeChosen() throws {
        let base = #"{"outputTable": "T", "customers": {"file": "a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}"#
        #expect(try JobDescriptor.parse(Array((base + "}").utf8)).matching == .init(incompleteTwins: true, nearDuplicates: .sameWebsite))
        let chosen = try JobDescriptor.parse(Array((base + #", "matching": {"incompleteTwins": false, "nearDuplicates": "any"}}"#).utf8))
        #expect(chosen.matching == .init(incompleteTwins: false, nearDuplicates: .any))
    }

    @Test func suggestsTheKeyThatWasMeant() {
        let text = #"{"outputTable": "T", "customers": {"file": "a.csv", "idColum": "Id"}}"#
        #expect {
            try JobDescriptor.parse(Array(text.utf8))
        } throws: { error in
            // idColumn is required, so the missing key is reported first, naming the path.
            (error as? JobError)?.keyPath == "customers.idColumn"
        }
    }
}
