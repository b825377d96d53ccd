import ArgumentParser
import Foundation
import LeadspaceSandbox

/// `leadspace-sandbox sample`: writes messy CRM input drawn from the seeded directory.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write accounts.csv, contacts.csv and truth.csv: realistic messy input for the directory."
    )

    @Option(help: "Directory seed.") var seed: UInt64 = 42
    @Option(help: "Number of directory companies (must match the server's).") var companies = 20_000
    @Option(help: "Number of account rows.") var accounts = 2_000
    @Option(help: "Number of contact rows.") var contacts = 3_000
    @Option(help: "Folder to write into (created if missing).") var out: String

    func validate() throws {
        guard self.companies > 0, self.accounts >= 0, self.contacts >= 0 else {
            throw ValidationError("--companies must be positive; --accounts and --contacts must not be negative")
        }
    }

    func run() throws {
        let directory = CompanyDirectory(seed: self.seed, companyCount: self.companies)
        let sample = SampleGenerator(directory: directory).generate(accounts: self.accounts, contacts: self.contacts)
        let folder = URL(fileURLWithPath: self.out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try sample.write(to: folder)
    }
}
