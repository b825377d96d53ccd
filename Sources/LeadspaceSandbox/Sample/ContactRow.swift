/// One row of `contacts.csv`, with the directory person it was made from.
public struct ContactRow: Sendable, Hashable {
    public var contactID = ""
    public var customerID = ""
    public var firstName = ""
    public var lastName = ""
    public var email = ""
    public var title = ""
    /// The directory person behind the row; empty for people the directory does not know.
    public var personID = ""

    /// The CSV header of `contacts.csv`.
    public static let header = ["ContactId", "CustomerId", "FirstName", "LastName", "Email", "Title"]

    var fields: [String] {
        [self.contactID, self.customerID, self.firstName, self.lastName, self.email, self.title]
    }
}
