import Foundation
import Testing

@testable import Enrichment

/// Every validation the daemon makes before spending a credit, each naming the right place.
struct JobValidatorTests {
    static let accounts = "CustomerId,Name,Website,Country,Segment\n1,Acme Inc,acme.com,US,AMER\n2,Globex,globex.de,DE,EMEA\n"

    static func descriptor(file: String = "accounts.csv", mapping: String = #"{"companyName": "Name"}"#,
                           extra: String = "") -> String {
        #"{"name": "T", "outputTable": "T", "customers": {"file": "\#(file)", "idColumn": "CustomerId"\#(extra)}, "mapping": {"primary": \#(mapping)}}"#
    }

    /// Builds a bundle, validates it, and returns the error.
    func validate(descriptor: String, files: [String: [UInt8]] = ["accounts.csv": Array(Self.accounts.utf8)],
                  setUp: (String) -> Void = { _ in }) -> JobError? {
        let bundle = "/tmp/enrichd-validate-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        _ = FileManager.default.createFile(atPath: bundle + "/job.json", contents: Data(descriptor.utf8))
        for (name, bytes) in files { _ = FileManager.default.createFile(atPath: bundle + "/" + name, contents: Data(bytes)) }
        setUp(bundle)
        do {
            _ = try JobValidator.validate(descriptorPath: bundle)
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
