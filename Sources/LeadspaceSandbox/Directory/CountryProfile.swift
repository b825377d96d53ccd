/// Everything the generator needs to know to make a plausible company in one country.
struct CountryProfile: Sendable {
    /// ISO 3166-1 alpha-2 code.
    let code: String
    /// English short name.
    let name: String
    /// Other spellings a customer's CRM might hold (alpha-3 code, local names), matched case-insensitively.
    let aliases: [String]
    /// Share of the directory, relative to the other countries.
    let weight: Int
    /// The sales region the sample's `Segment` column uses.
    let segment: String
    let style: NameStyle
    let streetStyle: StreetStyle
    /// Legal forms with relative weights, written as the directory holds them.
    let legalForms: [(form: String, weight: Int)]
    /// Top-level domains with relative weights (multi-part ones like `co.uk` included).
    let topLevelDomains: [(suffix: String, weight: Int)]
    /// Phone number template: `{A}` is the city's area code, `#` a digit.
    let phonePattern: String
    let cities: [City]
}
