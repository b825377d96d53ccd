import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Customer Insights' job contract against the sandbox: segments, primary + secondary address, contacts,
/// consent, one writer per output table, and report.html agreeing with result.json.
@Suite struct JobContractTests {
    struct Fixture {
        var world: SystemWorld
        var layout: SpoolLayout
        var accounts: CSVFile
        var contacts: CSVFile
        var companies: [String: [String: String]]
        var persons: [String: [String: String]]
        var contactTruth: [String: String]
    }

    func job(_ fixture: Fixture, id: String, _ json: String) throws {
        try fixture.world.write("jobs/\(id)/job.json", json)
        for file in ["accounts.csv", "contacts.csv"] {
            try FileManager.default.copyItem(atPath: fixture.world.file("data/\(file)"),
                                             toPath: fixture.world.file("jobs/\(id)/\(file)"))
        }
        #expect(rename(fixture.world.file("jobs/\(id)"), fixture.layout.path("incoming", id)) == 0)
    }

    func result(_ fixture: Fixture, _ id: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: fixture.layout.done(id) + "/result.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func checkCompany(_ row: [String: String], _ fixture: Fixture) throws {
        guard row["EnrichmentStatus"] == "Enriched" else { return }
        let company = try #require(fixture.companies[row["LeadspaceCompanyId"] ?? ""], "unknown company: \(row)")
        #expect(row["CompanyName"] == company["Name"] && row["Country"] == company["Country"]
                && row["Industry"] == company["Industry"], "\(row) vs \(company)")
    }

    @Test func segmentsAddressesContactsConsentAndReports() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 11, companies: 3000,
                                    sandboxOptions: ["--rate", "400", "--latency-ms", "2", "--latency-jitter-ms", "1"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let data = try world.sample(accounts: 600, contacts: 800, into: "data")
        let truth = (try world.export() as NSString).deletingLastPathComponent
        try world.writeConfiguration(DaemonConfigurationText.render(
            spool: layout.root, maxActiveJobs: 8,
            connections: [false, true].map { consent in
                .init(name: consent ? "default" : "noconsent", baseURL: sandbox.baseURL, tokenFile: world.tokenFile(),
                      ratePerSecond: 400, consent: consent)
            }))
        let fixture = Fixture(
            world: world, layout: layout,
            accounts: try CSVFile(path: data + "/accounts.csv"),
            contacts: try CSVFile(path: data + "/contacts.csv"),
            companies: Dictionary(uniqueKeysWithValues: try CSVFile(path: truth + "/directory.csv").rows.map { ($0["CompanyId"]!, $0) }),
            persons: Dictionary(uniqueKeysWithValues: try CSVFile(path: truth + "/persons.csv").rows.map { ($0["PersonId"]!, $0) }),
            contactTruth: Dictionary(uniqueKeysWithValues: try CSVFile(path: data + "/contacts_truth.csv").rows.map { ($0["ContactId"]!, $0["PersonId"]!) })
        )
        let primary = #""primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country", "city": "City"}}"#
        try self.job(fixture, id: "segment", """
            {"name": "EMEA only", "outputTable": "Segmented",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId", "segment": {"column": "Segment", "in": ["EMEA"]}},
             "mapping": {\(primary)}}
            """)
        try self.job(fixture, id: "twoaddress", """
            {"name": "Both addresses", "outputTable": "TwoAddresses", "identifyBy": ["primary", "secondary"],
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {\(primary), "secondary": {"companyName": "Name2", "location": {"country": "Country2", "city": "City2"}}}}
            """)
        try self.job(fixture, id: "contacts", """
            {"name": "With contacts", "outputTable": "WithContacts",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"}, "mapping": {\(primary)},
             "contacts": {"file": "contacts.csv", "idColumn": "ContactId", "customerIdColumn": "CustomerId"}}
            """)
        try self.job(fixture, id: "noconsent", """
            {"name": "No consent", "outputTable": "Nope", "connection": "noconsent",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"}, "mapping": {\(primary)}}
            """)
        for id in ["busy-a", "busy-b"] {
            try self.job(fixture, id: id, """
                {"name": "\(id)", "outputTable": "Busy", "identifyBy": ["primary", "secondary"],
                 "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
                 "mapping": {\(primary), "secondary": {"companyName": "Name2"}}}
                """)
        }

        let daemon = try world.startDaemon()
        defer { daemon.stop() }

        // A segment: only its members, in input order; the rest counted out of scope.
        #expect(try SpoolWaiter.wait(for: "segment", in: layout, timeout: 300) == .done, "\(daemon.logTail())")
        let members = fixture.accounts.rows.filter { $0["Segment"] == "EMEA" }
        let segmented = try CSVFile(path: layout.done("segment") + "/Segmented.csv")
        #expect(segmented.rows.map { $0["CustomerId"]! } == members.map { $0["CustomerId"]! })
        #expect(!members.isEmpty && members.count < fixture.accounts.rows.count)
        for row in segmented.rows { try self.checkCompany(row, fixture) }
        let segmentCustomers = try #require(try self.result(fixture, "segment")["customers"] as? [String: Any])
        #expect(segmentCustomers["inScope"] as? Int == members.count)
        #expect(segmentCustomers["outOfScope"] as? Int == fixture.accounts.rows.count - members.count)

        // Two address kinds: a Primary and a Secondary row per customer, each looked up separately.
        #expect(try SpoolWaiter.wait(for: "twoaddress", in: layout, timeout: 300) == .done)
        let two = try CSVFile(path: layout.done("twoaddress") + "/TwoAddresses.csv")
        #expect(two.rows.map { "\($0["CustomerId"]!)/\($0["AddressType"]!)" }
                == fixture.accounts.rows.flatMap { ["\($0["CustomerId"]!)/Primary", "\($0["CustomerId"]!)/Secondary"] })
        for (row, account) in zip(two.rows.filter { $0["AddressType"] == "Secondary" }, fixture.accounts.rows) {
            if account["Name2"]!.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(row["EnrichmentStatus"] == "InvalidInput")
            }
            try self.checkCompany(row, fixture)
        }
        let twoCustomers = try #require(try self.result(fixture, "twoaddress")["customers"] as? [String: Any])
        let byType = try #require(twoCustomers["byAddressType"] as? [String: [String: Int]])
        #expect(byType["Primary"]?["rows"] == fixture.accounts.rows.count)
        #expect(byType["Secondary"]?["rows"] == fixture.accounts.rows.count)
        #expect((byType["Secondary"]?["enriched"] ?? 0) > 0)
        // "Enriched N of M profiles" counts customers enriched through either address, not output rows.
        let profiles = Set(two.rows.filter { $0["EnrichmentStatus"] == "Enriched" }.map { $0["CustomerId"]! }).count
        #expect(twoCustomers["enrichedProfiles"] as? Int == profiles)
        #expect(profiles < (try #require(twoCustomers["enriched"] as? Int)), "some customers are enriched through both addresses")
        let twoReport = try ChildProcess.run(BuiltProducts.enrichctl, ["report", "--spool", layout.root, "twoaddress"])
        #expect(twoReport.stdout.contains("Enriched \(profiles) of \(fixture.accounts.rows.count) profiles"), "\(twoReport.stdout)")
        #expect(twoReport.stdout.contains("by address: Primary \(byType["Primary"]!["enriched"]!) of \(fixture.accounts.rows.count), "
                                          + "Secondary \(byType["Secondary"]!["enriched"]!) of \(fixture.accounts.rows.count)"), "\(twoReport.stdout)")

        // Contacts: columns found from their header spellings, looked up in the account's context.
        #expect(try SpoolWaiter.wait(for: "contacts", in: layout, timeout: 300) == .done)
        let contactsOut = try CSVFile(path: layout.done("contacts") + "/WithContactsContacts.csv")
        #expect(contactsOut.header == ["ContactId", "CustomerId", "EnrichmentStatus", "Reason", "LeadspacePersonId",
                                       "Title", "JobLevel", "Department", "Persona", "PersonaScore", "EmailVerification",
                                       "VerificationStatus", "LinkedInUrl", "Phone", "Paid", "EnrichedAt"])
        #expect(contactsOut.rows.map { $0["ContactId"]! } == fixture.contacts.rows.map { $0["ContactId"]! })
        var enrichedContacts = 0
        for row in contactsOut.rows where row["EnrichmentStatus"] == "Enriched" {
            enrichedContacts += 1
            let person = try #require(fixture.persons[row["LeadspacePersonId"]!], "unknown person \(row)")
            #expect(row["Title"] == person["Title"])
            #expect(["Valid", "Invalid", "Unknown", "CatchAll"].contains(row["EmailVerification"]!))
            #expect(["Verified", "Moved", "NotVerified"].contains(row["VerificationStatus"]!))
            if let expected = fixture.contactTruth[row["ContactId"]!], !expected.isEmpty {
                #expect(row["LeadspacePersonId"] == expected)
            }
        }
        #expect(enrichedContacts > fixture.contacts.rows.count / 2)
        let contactsResult = try self.result(fixture, "contacts")
        let contactCounts = try #require(contactsResult["contacts"] as? [String: Any])
        #expect(contactCounts["enriched"] as? Int == enrichedContacts)
        // The cost preview and enrichctl validate plan the job exactly as the daemon did (one shared pass):
        // the same distinct lookups, contacts included.
        let paid = try #require((contactsResult["lookups"] as? [String: Any])?["distinctKeys"] as? Int)
        let estimate = try ChildProcess.run(BuiltProducts.enrichctl, ["estimate", "--json", "--config", world.configurationPath,
                                                                      layout.done("contacts") + "/job.json"])
        let estimated = (try JSONSerialization.jsonObject(with: Data(estimate.stdout.utf8)) as? [String: Any]).map { $0.compactMapValues { $0 as? Int } }
        #expect(estimated?["distinctKeys"] == paid, "\(estimate.stdout) \(estimate.stderr)")
        let validate = try ChildProcess.run(BuiltProducts.enrichctl, ["validate", "--config", world.configurationPath,
                                                                      layout.done("contacts") + "/job.json"])
        #expect(validate.status == 0 && validate.stdout.contains("; \(paid) distinct lookups"), "\(validate.stdout) \(validate.stderr)")

        // report.html carries the same numbers as result.json.
        let page = try String(contentsOfFile: layout.done("contacts") + "/report.html", encoding: .utf8)
        let customers = try #require(contactsResult["customers"] as? [String: Any])
        #expect(page.contains("data-enriched=\"\(customers["enriched"] as! Int)\" data-total=\"\(customers["outputRows"] as! Int)\""))
        #expect(page.contains("<svg") && !page.contains("src=") && !page.contains("<link"), "no network assets")
        let byConfidence = try #require(customers["byConfidence"] as? [String: Int])
        for (level, count) in byConfidence { #expect(page.contains("data-level=\"\(level)\">\(count)<")) }
        let coverage = try #require(contactsResult["fieldCoverage"] as? [String: Int])
        for (column, count) in coverage { #expect(page.contains("data-column=\"\(column)\" data-count=\"\(count)\"")) }
        #expect(page.contains("data-enriched=\"\(enrichedContacts)\""))

        // Consent: the job fails naming the setting to change.
        #expect(try SpoolWaiter.wait(for: "noconsent", in: layout, timeout: 60) == .failed)
        let consentError = try String(contentsOfFile: layout.failed("noconsent") + "/error.json", encoding: .utf8)
        #expect(consentError.contains("consentRequired") && consentError.contains("dataSharingConsent"))

        // One writer per output table at a time.
        let outcomes = try ["busy-a", "busy-b"].map { try SpoolWaiter.wait(for: $0, in: layout, timeout: 300) }
        #expect(outcomes.sorted { "\($0)" < "\($1)" } == [.done, .failed])
        let loser = outcomes[0] == .failed ? "busy-a" : "busy-b"
        #expect(try String(contentsOfFile: layout.failed(loser) + "/error.json", encoding: .utf8).contains("outputTableBusy"))
    }
}
