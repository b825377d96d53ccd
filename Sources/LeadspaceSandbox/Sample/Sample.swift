import Foundation

/// Messy CRM input for one directory, with the truth behind every row.
public struct Sample: Sendable, Hashable {
    public var accounts: [AccountRow]
    public var contacts: [ContactRow]

    /// Writes `accounts.csv`, `contacts.csv`, `truth.csv` (`CustomerId,CompanyId`) and `contacts_truth.csv`
    /// (`ContactId,PersonId`) into `folder`, which must exist.
    public func write(to folder: URL) throws {
        var accounts = CSVTable(header: AccountRow.header)
        var truth = CSVTable(header: ["CustomerId", "CompanyId"])
        for row in self.accounts {
            accounts.append(row.fields)
            truth.append([row.customerID, row.companyID])
        }
        var contacts = CSVTable(header: ContactRow.header)
        var contactTruth = CSVTable(header: ["ContactId", "PersonId"])
        for row in self.contacts {
            contacts.append(row.fields)
            contactTruth.append([row.contactID, row.personID])
        }
        try accounts.write(to: folder.appendingPathComponent("accounts.csv"))
        try contacts.write(to: folder.appendingPathComponent("contacts.csv"))
        try truth.write(to: folder.appendingPathComponent("truth.csv"))
        try contactTruth.write(to: folder.appendingPathComponent("contacts_truth.csv"))
    }
}
