import Formats
import Foundation
import Testing

@testable import Jobs

struct EnrichmentDefinitionTests {
    /// A valid enrichment.json whose top level ends in `rest` (which starts with a comma when not empty).
    static func document(schedule: String? = nil, rest: String = "") -> String {
        """
        {"name": "EMEA accounts", "outputTable": "LeadspaceEMEA",
         "customers": {"file": "/srv/exports/accounts.csv", "idColumn": "CustomerId"},
         "mapping": {"primary": {"companyName": "Name"}}\(schedule.map { ",\n \"schedule\": \($0)" } ?? "")\(rest)}
        """
    }

    static func parse(_ text: String) throws(JobError) -> EnrichmentDefinition {
        try EnrichmentDefinition.parse(Array(text.utf8))
    }

    // MARK: Good definitions

    @Test func readsTheDescriptorActiveAndSchedule() throws {
        let text = """
            {"name": "EMEA accounts", "outputTable": "LeadspaceEMEA", "connection": "eu",
             "customers": {"file": "/srv/exports/accounts.csv", "idColumn": "CustomerId",
                           "segment": {"membersFile": "/srv/exports/emea.csv"}},
             "mapping": {"primary": {"companyName": "Name", "website": "Website"}},
             "contacts": {"file": "/srv/exports/contacts.csv", "idColumn": "ContactId", "customerIdColumn": "CustomerId"},
             "active": false,
             "schedule": {"days": ["Mon", "thu"], "times": ["18:00", "06:00"], "timeZone": "Europe/Paris"}}
            """
        let definition = try Self.parse(text)
        #expect(definition.descriptor.name == "EMEA accounts")
        #expect(definition.descriptor.connection == "eu")
        #expect(definition.descriptor.customers.segment?.membersFile == "/srv/exports/emea.csv")
        #expect(definition.descriptor.contacts?.file == "/srv/exports/contacts.csv")
        #expect(definition.isActive == false)
        #expect(definition.schedule?.days == [.monday, .thursday])
        #expect(definition.schedule?.description == "Mon, Thu at 06:00 and 18:00 Europe/Paris")
        #expect(definition.dataFiles.map(\.keyPath)
            == ["customers.file", "customers.segment.membersFile", "contacts.file"])
    }

    @Test func aMinimalDefinitionIsActiveAndRefreshesOnlyByHand() throws {
        let definition = try Self.parse(Self.document())
        #expect(definition.isActive)
        #expect(definition.schedule == nil)
        #expect(try definition.descriptor == JobDescriptor.parse(Array(Self.document().utf8)))
        #expect(try Self.parse(Self.document(rest: #", "active": true, "schedule": null"#)) == definition)
    }

    @Test func aScheduleReadsDailyInAnyCase() throws {
        let definition = try Self.parse(
            Self.document(schedule: #"{"days": "Daily", "times": ["06:00"], "timeZone": "UTC"}"#))
        #expect(definition.schedule?.isDaily == true)
        #expect(definition.schedule?.description == "daily at 06:00 UTC")
    }

    // MARK: Bad definitions

    @Test(arguments: [
        // The descriptor's own checks, with the same diagnostics as a job's.
        (#"{"outputTable": "T", "customers": {"file": "/a.csv", "idColumn": "Id"}}"#, "missingKey", "mapping", nil),
        (EnrichmentDefinitionTests.document(rest: #", "nmae": "x""#), "unknownKey", "nmae", nil),
        // enrichment.json's own keys.
        (EnrichmentDefinitionTests.document(rest: #", "active": "yes""#), "wrongType", "active", #""active" must be true or false"#),
        (EnrichmentDefinitionTests.document(rest: #", "schedul": {}"#), "unknownKey", "schedul", #"did you mean "schedule"?"#),
        (EnrichmentDefinitionTests.document(schedule: "\"daily\""), "wrongType", "schedule", nil),
        // Data files a refresh re-reads must be absolute.
        (#"{"outputTable": "T", "customers": {"file": "accounts.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "pathNotAllowed", "customers.file", #""accounts.csv" is not an absolute path"#),
        (#"{"outputTable": "T", "customers": {"file": "/srv/a.csv", "idColumn": "Id", "segment": {"membersFile": "m.csv"}}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "pathNotAllowed", "customers.segment.membersFile", nil),
        (#"{"outputTable": "T", "customers": {"file": "/srv/a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}, "contacts": {"file": "./c.csv", "idColumn": "C", "customerIdColumn": "Id"}}"#,
         "pathNotAllowed", "contacts.file", nil),
        (#"{"outputTable": "T", "customers": {"file": "/srv/exports/../a.csv", "idColumn": "Id"}, "mapping": {"primary": {"companyName": "N"}}}"#,
         "pathNotAllowed", "customers.file", "contains '..'"),
    ] as [(String, String, String, String?)])
    func refusesWithACodeKeyPathAndPosition(text: String, code: String, keyPath: String, message: String?) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.code.rawValue == code && error.keyPath == keyPath && error.file == "enrichment.json"
                && error.line != nil && error.column != nil && message.map { error.description.contains($0) } ?? true
        }
    }

    @Test func aJobStillRefusesTheKeysOfAnEnrichment() {
        #expect {
            try JobDescriptor.parse(Array(Self.document(rest: #", "active": true"#).utf8))
        } throws: { error in
            (error as? JobError)?.code == .unknownKey && (error as? JobError)?.keyPath == "active"
        }
    }

    /// Each bad schedule in enrichment.json, refused at the key path that holds the bad value.
    @Test(arguments: [
        (#"{"days": ["mon", "thursday"], "times": ["06:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.days[1]", #""thursday" is not a day of the week"#),
        (#"{"days": ["mon", "MON"], "times": ["06:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.days[1]", #""MON" is listed twice"#),
        (#"{"days": "weekdays", "times": ["06:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.days", #""weekdays" is not "daily" or a list of days"#),
        (#"{"days": [], "times": ["06:00"], "timeZone": "UTC"}"#, "invalidValue", "schedule.days", "is empty"),
        (#"{"days": 7, "times": ["06:00"], "timeZone": "UTC"}"#,
         "wrongType", "schedule.days", #""days" must be "daily" or a list of days"#),
        (#"{"days": ["mon", 2], "times": ["06:00"], "timeZone": "UTC"}"#, "wrongType", "schedule.days[1]", nil),
        (#"{"times": ["06:00"], "timeZone": "UTC"}"#, "missingKey", "schedule.days", nil),
        (#"{"days": "daily", "times": ["06:00", "12:00", "25:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.times[2]", #""25:00" is not a time of day (HH:MM, 00:00–23:59)"#),
        (#"{"days": "daily", "times": ["7:5"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.times[0]", "two digits each"),
        (#"{"days": "daily", "times": ["06:60"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.times[0]", "minutes from 00 to 59"),
        (#"{"days": "daily", "times": ["6am"], "timeZone": "UTC"}"#, "invalidValue", "schedule.times[0]", "HH:MM"),
        (#"{"days": "daily", "times": ["06:00", "06:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.times[1]", #""06:00" is listed twice"#),
        (#"{"days": "daily", "times": ["01:00", "02:00", "03:00", "04:00", "05:00"], "timeZone": "UTC"}"#,
         "invalidValue", "schedule.times", "at most four refreshes a day"),
        (#"{"days": "daily", "times": [], "timeZone": "UTC"}"#, "invalidValue", "schedule.times", "is empty"),
        (#"{"days": "daily", "times": "06:00", "timeZone": "UTC"}"#, "wrongType", "schedule.times", nil),
        (#"{"days": "daily", "timeZone": "UTC"}"#, "missingKey", "schedule.times", nil),
        (#"{"days": "daily", "times": ["06:00"], "timeZone": "Mars/Olympus"}"#,
         "invalidValue", "schedule.timeZone", #"unknown time zone "Mars/Olympus""#),
        (#"{"days": "daily", "times": ["06:00"], "timeZone": "europe/paris"}"#,
         "invalidValue", "schedule.timeZone", #"did you mean "Europe/Paris"?"#),
        (#"{"days": "daily", "times": ["06:00"]}"#, "missingKey", "schedule.timeZone", nil),
        (#"{"days": "daily", "times": ["06:00"], "timezone": "UTC"}"#, "missingKey", "schedule.timeZone", nil),
        (#"{"days": "daily", "times": ["06:00"], "timeZone": "UTC", "every": "hour"}"#,
         "unknownKey", "schedule.every", nil),
    ] as [(String, String, String, String?)])
    func refusesABadSchedule(schedule: String, code: String, keyPath: String, message: String?) {
        #expect {
            try Self.parse(Self.document(schedule: schedule))
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.code.rawValue == code && error.keyPath == keyPath && error.line == 4
                && message.map { error.description.contains($0) } ?? true
        }
    }

    // MARK: Input roots

    @Test func dataFilesMustLieUnderTheConfigurationsInputRoots() throws {
        let text = """
            {"outputTable": "T", "customers": {"file": "/srv/exports/accounts.csv", "idColumn": "Id"},
             "mapping": {"primary": {"companyName": "N"}},
             "contacts": {"file": "/home/ann/contacts.csv", "idColumn": "C", "customerIdColumn": "Id"}}
            """
        let definition = try Self.parse(text)
        #expect(throws: Never.self) { try definition.checkDataFiles(inputRoots: ["/srv/exports", "/home/ann"]) }
        #expect {
            try definition.checkDataFiles(inputRoots: ["/srv/exports"])
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.code == .pathNotAllowed && error.keyPath == "contacts.file" && error.file == "enrichment.json"
                && error.message == #""/home/ann/contacts.csv" is outside the allowed input roots"#
                && error.hint?.contains("/srv/exports") == true
        }
        #expect {
            try definition.checkDataFiles(inputRoots: [])
        } throws: { error in
            let error = error as? JobError
            return error?.keyPath == "customers.file" && error?.hint?.contains("inputRoots") == true
        }
        // A root is a directory, not a prefix of names.
        #expect(throws: JobError.self) { try definition.checkDataFiles(inputRoots: ["/srv/exp", "/home/ann"]) }
    }

    @Test func aSymbolicLinkOutOfTheInputRootsIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("enrichment-roots-\(UInt32.random(in: .min ... .max))").path
        try FileManager.default.createDirectory(atPath: directory + "/exports", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("Id,N\n".utf8).write(to: URL(fileURLWithPath: directory + "/elsewhere.csv"))
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/exports/accounts.csv", withDestinationPath: directory + "/elsewhere.csv")
        let definition = EnrichmentDefinition(descriptor: JobDescriptor(
            name: "T", outputTable: "T",
            customers: CustomerDataSet(file: directory + "/exports/accounts.csv", idColumn: "Id"),
            mappings: [.primary: FieldMapping(companyName: "N")]))
        #expect {
            try definition.checkDataFiles(inputRoots: [directory + "/exports"])
        } throws: { error in
            (error as? JobError)?.message.contains("symbolic link") == true
        }
        #expect(throws: Never.self) { try definition.checkDataFiles(inputRoots: [directory]) }
    }

    // MARK: Names

    @Test(arguments: ["emea-accounts", "Q4_2024.v2", "a", "a..b", String(repeating: "x", count: 100)])
    func acceptsAFileName(text: String) throws {
        #expect(try EnrichmentName(validating: text).rawValue == text)
    }

    @Test(arguments: [
        ("", "must not be empty"), (".hidden", "starts with"), ("..", "starts with"), ("a/b", "characters other"),
        ("with space", "characters other"), ("café", "characters other"), ("a\nb", #""a\nb""#),
        (String(repeating: "x", count: 101), "101 bytes long"),
    ])
    func refusesANameThatIsNotAFileName(text: String, reason: String) {
        #expect(EnrichmentName(rawValue: text) == nil)
        #expect {
            try EnrichmentName(validating: text)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.code == .invalidValue && error.message.contains(reason)
                && error.hint?.contains("1–100") == true
        }
    }
}
