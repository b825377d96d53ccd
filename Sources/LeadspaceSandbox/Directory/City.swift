/// A city a generated company can be located in, with what its addresses look like.
struct City: Sendable {
    let name: String
    /// State, province or territory code; empty where addresses do not use one.
    let state: String
    /// Postal code templates: `#` becomes a digit, `@` an upper-case letter.
    let postalPatterns: [String]
    /// The telephone area code that replaces `{A}` in the country's phone pattern.
    let areaCode: String

    init(_ name: String, _ state: String = "", postal: [String], area: String = "") {
        self.name = name
        self.state = state
        self.postalPatterns = postal
        self.areaCode = area
    }
}
