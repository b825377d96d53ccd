import Formats
import Foundation
import Testing

import Jobs

/// Every validation the daemon makes before spending a credit, each naming the right place.
struct JobValidatorTests {
    static let accounts = "CustomerId,Name,Website,Country,Segment\n1,Acme Inc,acme.com,US,AMER\n2,Globex,globex.de,DE,EMEA\n"

    static func descriptor(file: String = "accounts.csv", mapping: String = #"{"companyName": "Name"}"#,
                           extra: String = "") -> String {
        #"{"name": "T", "outputTable": "T", "customers": {"file": "\#(file)", "idColumn": "CustomerId"\#(extra)}, "mapping": {"primary": \#(mapping)}}"#
    }

    /// A daemon configuration with a connection that may share data and one that may not.
    static let configuration = try! DaemonConfiguration.parse(Array("""
        {"spool": "/tmp/unused", "inputRoots": ["/tmp"],
         "connections": {"default": {"baseURL": "http://127.0.0.1:9", "dataSharingConsent": true, "tokenFile": "/t"},
                         "noconsent": {"baseURL": "http://127.0.0.1:9", "dataSharingConsent": false, "tokenFile": "/t"}}}
        """.utf8), file: "enrichd.json")

    /// Builds a bundle, validates it, and returns the error.
    func validate(descriptor: String, files: [String: [UInt8]] = ["accounts.csv": Array(Self.accounts.utf8)],
                  configuration: DaemonConfiguration? = nil, setUp: (String) -> Void = { _ in }) -> JobError? {
        let bundle = "/tmp/enrichd-validate-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        _ = FileManager.default.createFile(atPath: bundle + "/job.json", contents: Data(descriptor.utf8))
        for (name, bytes) in files { _ = FileManager.default.createFile(atPath: bundle + "/" + name, contents: Data(bytes)) }
        setUp(bundle)
        do {
            _ = try JobValidator.validate(descriptorPath: bundle, configuration: configuration)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidBundlePasses() {
        #expect(self.validate(descriptor: Self.descriptor()) == nil)
    }

    @Test func invalidJSONNamesLineAndColumn() throws {
        let error = try #require(self.validate(descriptor: "{\n  \"name\": \"T\",\n  \"outputTable\" \"T\"\n}"))
        #expect(error.code == .invalidJSON && error.line == 3 && error.column == 17 && error.file == "job.json")
    }

    @Test func aMappedColumnMissingFromTheHeaderListsTheHeader() throws {
        let error = try #require(self.validate(descriptor: Self.descriptor(mapping: #"{"companyName": "Company"}"#)))
        #expect(error.code == .missingColumn && error.keyPath == "mapping.primary.companyName")
        #expect(error.hint?.contains("CustomerId, Name, Website, Country, Segment") == true)
    }

    @Test func missingEmptyAndNonRegularFiles() throws {
        let missing = try #require(self.validate(descriptor: Self.descriptor(file: "nope.csv")))
        #expect(missing.code == .fileNotFound && missing.file == "nope.csv")
        let empty = try #require(self.validate(descriptor: Self.descriptor(), files: ["accounts.csv": []]))
        #expect(empty.code == .emptyFile && empty.file == "accounts.csv")
        let directory = try #require(self.validate(descriptor: Self.descriptor(file: "dir"), files: [:]) {
            try? FileManager.default.createDirectory(atPath: $0 + "/dir", withIntermediateDirectories: true)
        })
        #expect(directory.code == .unreadableFile)
    }

    @Test func nonUTF8RaggedRowsAndDuplicateIds() throws {
        let utf8 = try #require(self.validate(descriptor: Self.descriptor(),
                                              files: ["accounts.csv": Array("CustomerId,Name\n1,ok\n2,".utf8) + [0xC3, 0x28, 0x0A]]))
        #expect(utf8.code == .invalidUTF8 && utf8.line == 3 && utf8.file == "accounts.csv")
        let ragged = try #require(self.validate(descriptor: Self.descriptor(),
                                                files: ["accounts.csv": Array("CustomerId,Name\n1,a\n2,b,c\n".utf8)]))
        #expect(ragged.code == .raggedRow && ragged.line == 3)
        let duplicate = try #require(self.validate(descriptor: Self.descriptor(),
                                                   files: ["accounts.csv": Array("CustomerId,Name\n1,a\n2,b\n1,c\n".utf8)]))
        #expect(duplicate.code == .duplicateCustomerId && duplicate.line == 4 && duplicate.file == "accounts.csv")
    }

    /// With the daemon's configuration: the connection must exist and have consent, and files may come from its
    /// input roots.
    @Test func theConnectionItsConsentAndInputRootsComeFromTheConfiguration() throws {
        let configuration = Self.configuration
        #expect(self.validate(descriptor: Self.descriptor(), configuration: configuration) == nil)
        let unknown = try #require(self.validate(descriptor: Self.descriptor(extra: "").replacingOccurrences(
            of: #""outputTable": "T","#, with: #""outputTable": "T", "connection": "nope","#), configuration: configuration))
        #expect(unknown.code == .unknownConnection && unknown.keyPath == "connection")
        #expect(unknown.hint?.contains("default, noconsent") == true)
        let refused = try #require(self.validate(descriptor: Self.descriptor().replacingOccurrences(
            of: #""outputTable": "T","#, with: #""outputTable": "T", "connection": "noconsent","#), configuration: configuration))
        #expect(refused.code == .consentRequired)
        // An absolute path under an input root: refused without the configuration, read with it.
        let shared = "/tmp/enrichd-validate-root-\(UUID().uuidString).csv"
        try Data(Self.accounts.utf8).write(to: URL(fileURLWithPath: shared))
        defer { try? FileManager.default.removeItem(atPath: shared) }
        #expect(self.validate(descriptor: Self.descriptor(file: shared))?.code == .pathNotAllowed)
        #expect(self.validate(descriptor: Self.descriptor(file: shared), configuration: configuration) == nil)
    }

    /// Contacts are read as the daemon reads them: their file and columns are checked too.
    @Test func contactsAreChecked() throws {
        let contacts = #", "contacts": {"file": "contacts.csv", "idColumn": "ContactId", "customerIdColumn": "CustomerId"}"#
        func descriptor() -> String {
            Self.descriptor().replacingOccurrences(of: #"}}}"#, with: #"}}"# + contacts + "}")
        }
        let missing = try #require(self.validate(descriptor: descriptor()))
        #expect(missing.code == .fileNotFound && missing.file == "contacts.csv")
        let column = try #require(self.validate(descriptor: descriptor(), files: [
            "accounts.csv": Array(Self.accounts.utf8), "contacts.csv": Array("ContactId,AccountId,Email\nc1,1,a@acme.com\n".utf8),
        ]))
        #expect(column.code == .missingColumn, "\(column)")
        #expect(self.validate(descriptor: descriptor(), files: [
            "accounts.csv": Array(Self.accounts.utf8),
            "contacts.csv": Array("ContactId,CustomerId,Email,FirstName,LastName\nc1,1,jane@acme.com,Jane,Doe\n".utf8),
        ]) == nil)
    }

    @Test(arguments: ["../outside.csv", "/etc/passwd", "link.csv"])
    func pathsMayNotLeaveTheBundle(file: String) throws {
        let error = try #require(self.validate(descriptor: Self.descriptor(file: file)) { bundle in
            _ = symlink("/etc/hostname", bundle + "/link.csv")
        })
        #expect(error.code == .pathNotAllowed && error.keyPath == "customers.file")
    }

    @Test func segmentColumnMustExistAndMembersFilesSelect() throws {
        let error = try #require(self.validate(
            descriptor: Self.descriptor(extra: #", "segment": {"column": "Region", "in": ["EMEA"]}"#)))
        #expect(error.code == .missingColumn && error.keyPath == "customers.segment.column")
        #expect(self.validate(descriptor: Self.descriptor(extra: #", "segment": {"membersFile": "members.csv"}"#),
                              files: ["accounts.csv": Array(Self.accounts.utf8), "members.csv": Array("2\n".utf8)]) == nil)
    }

    @Test func membersFileSelectsExactlyItsIds() throws {
        let bundle = "/tmp/enrichd-members-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        try Data(Self.accounts.utf8).write(to: URL(fileURLWithPath: bundle + "/accounts.csv"))
        try Data("CustomerId\n2\n".utf8).write(to: URL(fileURLWithPath: bundle + "/members.csv"))
        try Data(Self.descriptor(extra: #", "segment": {"membersFile": "members.csv"}"#).utf8)
            .write(to: URL(fileURLWithPath: bundle + "/job.json"))
        let report = try JobValidator.validate(descriptorPath: bundle)
        #expect(report.rows == 2 && report.inScope == 1)
    }
}
