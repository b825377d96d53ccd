/// One industry of the directory, with its sub-industries and the words company names in it use.
struct Industry: Sendable {
    /// A sub-industry with its US SIC and NAICS codes; the pair is fixed so the codes always agree.
    struct SubIndustry: Sendable {
        let name: String
        let sic: String
        let naics: String
    }

    let name: String
    let subIndustries: [SubIndustry]
    /// Typical annual revenue per employee in US dollars; a company's revenue varies around it.
    let revenuePerEmployee: Int
    /// Name words for English names; also used by the Nordic and Japanese styles, as firms there often do.
    let englishNouns: [String]
    /// Name words in the local language, for the styles that have them.
    let localNouns: [NameStyle: [String]]

    /// The nouns a company of the given style picks from.
    func nouns(for style: NameStyle) -> [String] {
        self.localNouns[style] ?? self.englishNouns
    }
}
