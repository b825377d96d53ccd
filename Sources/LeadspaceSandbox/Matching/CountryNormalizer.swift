/// Maps the many ways a CRM writes a country ("US", "usa", "United States", "Deutschland") to ISO alpha-2.
public enum CountryNormalizer {
    /// Returns the alpha-2 code of a directory country, or nil when the text names none of them.
    public static func code(_ country: String) -> String? {
        let key = TextFolding.words(country).joined()
        guard !key.isEmpty else {
            return nil
        }
        return Self.byKey[key]
    }

    private static let byKey: [String: String] = {
        var table: [String: String] = [:]
        for profile in CountryCatalog.all {
            for spelling in [profile.code, profile.name] + profile.aliases {
                table[TextFolding.words(spelling).joined()] = profile.code
            }
        }
        return table
    }()
}
