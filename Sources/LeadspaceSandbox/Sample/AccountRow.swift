/// One row of `accounts.csv`, with the directory company it was made from (the truth tests score against).
public struct AccountRow: Sendable, Hashable {
    public var customerID = ""
    public var name = ""
    public var website = ""
    public var country = ""
    public var city = ""
    public var state = ""
    public var street = ""
    public var postalCode = ""
    public var segment = ""
    public var name2 = ""
    public var country2 = ""
    public var city2 = ""
    /// The directory company behind the row; empty for companies the directory does not know.
    public var companyID = ""

    /// The CSV header of `accounts.csv`.
    public static let header = [
        "CustomerId", "Name", "Website", "Country", "City", "State", "Street", "PostalCode", "Segment", "Name2",
        "Country2", "City2",
    ]

    var fields: [String] {
        [
            self.customerID, self.name, self.website, self.country, self.city, self.state, self.street,
            self.postalCode, self.segment, self.name2, self.country2, self.city2,
        ]
    }
}
