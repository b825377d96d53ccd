/// The naming tradition a country's company and person names are drawn from.
enum NameStyle: Sendable {
    case english
    case german
    case french
    case dutch
    case nordic
    case italian
    case spanish
    case japanese

    /// Whether umlauts become two letters ("ü" → "ue") in domains and e-mail addresses, as German speakers write them.
    var expandsUmlauts: Bool {
        self == .german
    }
}
