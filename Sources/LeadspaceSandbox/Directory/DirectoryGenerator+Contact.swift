import SplitMix

extension DirectoryGenerator {
    /// Picks a free domain derived from the name: "northwindanalytics.com", "northwind-analytics.com" or
    /// "northwind.com", with the country's usual top-level domain.
    mutating func uniqueDomain(baseName: String, country: CountryProfile, random: inout SplitMix64) -> String {
        let words = TextFolding.asciiWords(baseName, expandUmlauts: country.style.expandsUmlauts)
            .filter { $0 != "and" && $0 != "y" }
        let joined = words.joined()
        var labels = [joined, words.joined(separator: "-")]
        if let first = words.first, first.count >= 4, words.count > 1, !Self.genericLeadingWords.contains(first) {
            labels.append(first)
        }
        // Long names rarely become long domains: prefer the hyphenated or short form for them.
        let preferred =
            joined.count > 22
            ? random.int(in: 1...(labels.count - 1))
            : random.weightedIndex(
                Array([45, 25, 30].prefix(labels.count)))
        labels.swapAt(0, preferred)
        let suffixes = country.topLevelDomains
        let suffix = suffixes[random.weightedIndex(suffixes.map(\.weight))].suffix
        for label in labels where !label.isEmpty {
            if self.claimDomain(label + "." + suffix) {
                return label + "." + suffix
            }
        }
        let base = labels.first(where: { !$0.isEmpty }) ?? "company"
        for qualifier in [country.code.lowercased(), "group", "global", "intl"] {
            let domain = "\(base)-\(qualifier).\(suffix)"
            if self.claimDomain(domain) {
                return domain
            }
        }
        var number = 2
        while !self.claimDomain("\(base)\(number).\(suffix)") {
            number += 1
        }
        return "\(base)\(number).\(suffix)"
    }

    /// First words that say nothing about the company ("Grupo Domínguez" must not become "grupo.es").
    private static let genericLeadingWords: Set<String> = ["grupo", "groupe", "fratelli", "the"]

    /// A free LinkedIn company slug: the hyphenated name, qualified by country or a number when taken.
    mutating func uniqueSlug(_ baseName: String, _ country: CountryProfile, _ random: inout SplitMix64) -> String {
        let slug = TextFolding.asciiWords(baseName, expandUmlauts: country.style.expandsUmlauts)
            .joined(separator: "-")
        if self.claimSlug(slug) {
            return slug
        }
        if self.claimSlug(slug + "-" + country.code.lowercased()) {
            return slug + "-" + country.code.lowercased()
        }
        while true {
            let candidate = slug + "-" + random.digits(4)
            if self.claimSlug(candidate) {
                return candidate
            }
        }
    }

    /// Fills a template: `#` becomes a digit, `@` an upper-case letter of those postcodes use.
    static func fill(_ template: String, random: inout SplitMix64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(template.utf8.count)
        var template = template
        template.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "#"): bytes.append(UInt8(ascii: "0") + UInt8(random.int(below: 10)))
                case UInt8(ascii: "@"):
                    bytes.append(Self.postcodeLetters[random.int(below: Self.postcodeLetters.count)])
                default: bytes.append(byte)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let postcodeLetters = Array("ABDEFGHJLNPQRSTUWXYZ".utf8)

    /// A phone number in the country's format; the subscriber part never starts with 0 or 1.
    static func phone(country: CountryProfile, city: City, random: inout SplitMix64) -> String {
        guard let template = Self.phoneTemplates[country.code + "/" + city.name] else {
            return Self.fill(country.phonePattern, random: &random)
        }
        return template.prefix + String(random.int(in: 2...9)) + Self.fill(template.rest, random: &random)
    }

    /// Phone templates per "country/city" with the area code filled in, split before the first subscriber
    /// digit so ``phone(country:city:random:)`` can keep it off 0 and 1 without rescanning the pattern.
    private static let phoneTemplates: [String: (prefix: String, rest: String)] = {
        var templates: [String: (prefix: String, rest: String)] = [:]
        for country in CountryCatalog.all {
            for city in country.cities {
                let pattern = country.phonePattern.replacing("{A}", with: city.areaCode)
                guard let first = pattern.firstIndex(of: "#") else {
                    continue
                }
                templates[country.code + "/" + city.name] = (
                    String(pattern[..<first]), String(pattern[pattern.index(after: first)...])
                )
            }
        }
        return templates
    }()
}
