import ArgumentParser
import Foundation
import LeadspaceSandbox

/// `leadspace-sandbox export`: writes the seeded directory as CSV ground truth.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the directory as CSV (and persons.csv beside it)."
    )

    @Option(help: "Directory seed.") var seed: UInt64 = 42
    @Option(help: "Number of directory companies.") var companies = 20_000
    @Option(help: "Company CSV to write; persons.csv goes into the same folder.") var out: String

    func validate() throws {
        guard self.companies > 0 else {
            throw ValidationError("--companies must be positive")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: self.out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let directory = CompanyDirectory(seed: self.seed, companyCount: self.companies)
        try DirectoryExporter.write(directory, to: url)
    }
}
