import SplitMix

extension DirectoryGenerator {
    /// E-mail address layouts; each company uses one for all its people, as mail servers do.
    private enum EmailLayout: Int, CaseIterable {
        case firstDotLast, initialLast, first, firstInitial, firstUnderscoreLast
    }

    /// Generates `count` persons for one company with unique names and e-mail addresses within it.
    mutating func appendPersons(
        count: Int, companyIndex: Int, companyID: String, domain: String, country: CountryProfile, city: City
    ) {
        guard count > 0 else {
            return
        }
        var random = SplitMix64(seed: self.seed, stream: RandomStream.persons.rawValue, index: UInt64(companyIndex))
        let layout = EmailLayout(rawValue: random.weightedIndex(Self.emailLayoutWeights))!
        var names: Set<String> = []
        var locals: Set<String> = []
        for _ in 0..<count {
            // Staff at companies outside the English-speaking world still often carry English names.
            let style: NameStyle = random.chance(0.2) ? .english : country.style
            var firstName = random.pick(PersonNameWords.firstNames(for: style))
            var lastName = random.pick(PersonNameWords.lastNames(for: style))
            var attempts = 0
            while !names.insert(NameNormalizer.personKey(firstName, lastName)).inserted {
                attempts += 1
                guard attempts < 20 else {
                    return
                }
                firstName = random.pick(PersonNameWords.firstNames(for: style))
                lastName = random.pick(PersonNameWords.lastNames(for: style))
            }
            let local = Self.uniqueLocalPart(
                first: firstName, last: lastName, layout: layout, expandUmlauts: style.expandsUmlauts,
                taken: &locals
            )
            let level = JobTitleCatalog.levels[random.weightedIndex(Self.levelWeights)].level
            let role = JobTitleCatalog.role(level: level, random: &random)
            let verification = Self.emailVerifications[random.weightedIndex(Self.emailVerificationWeights)]
            let status = Self.verificationStatuses[random.weightedIndex(Self.verificationStatusWeights)]
            let slugWords = TextFolding.asciiWords(firstName + " " + lastName, expandUmlauts: style.expandsUmlauts)
            let hex = String(random.next() & 0xFF_FFFF, radix: 16)
            self.appendPerson(
                Person(
                    id: self.uniquePersonID(random: &random),
                    companyID: companyID,
                    firstName: firstName,
                    lastName: lastName,
                    email: local + "@" + domain,
                    title: role.title,
                    level: level,
                    department: role.department,
                    emailVerification: verification,
                    verificationStatus: status,
                    phone: Self.phone(country: country, city: city, random: &random),
                    linkedInURL: "https://www.linkedin.com/in/" + slugWords.joined(separator: "-") + "-" + hex,
                    scores: Self.scores(level: level, department: role.department, random: &random)
                )
            )
        }
    }

    private static let levelWeights = JobTitleCatalog.levels.map(\.weight)
    private static let emailLayoutWeights = [50, 20, 10, 10, 10]
    private static let emailVerifications = ["VALID", "CATCH-ALL", "UNKNOWN", "INVALID"]
    private static let emailVerificationWeights = [70, 12, 10, 8]
    private static let verificationStatuses = ["Verified", "Not Verified", "Moved"]
    private static let verificationStatusWeights = [65, 25, 10]
    /// The departments each persona (in ``PersonaScore/profileNames`` order) is at home in, the first most.
    private static let personaHomes = [
        ["IT", "Engineering", "Product"], ["Sales", "Customer Success"], ["Marketing"],
        ["Finance", "Legal", "Operations"],
    ]

    private static func uniqueLocalPart(
        first: String, last: String, layout: EmailLayout, expandUmlauts: Bool, taken: inout Set<String>
    ) -> String {
        let firstPart = TextFolding.asciiWords(first, expandUmlauts: expandUmlauts).joined()
        let lastPart = TextFolding.asciiWords(last, expandUmlauts: expandUmlauts).joined()
        let base: String
        switch layout {
        case .firstDotLast: base = firstPart + "." + lastPart
        case .initialLast: base = String(firstPart.prefix(1)) + lastPart
        case .first: base = firstPart
        case .firstInitial: base = firstPart + String(lastPart.prefix(1))
        case .firstUnderscoreLast: base = firstPart + "_" + lastPart
        }
        var candidate = base
        var number = 2
        while !taken.insert(candidate).inserted {
            candidate = base + String(number)
            number += 1
        }
        return candidate
    }

    private mutating func uniquePersonID(random: inout SplitMix64) -> String {
        while true {
            let number = random.int(in: 100_000_000...999_999_999)
            if self.claimPersonNumber(number) {
                return "LSP\(number)"
            }
        }
    }

    /// Persona scores: high where the person's department is the persona's, scaled by seniority, with noise.
    private static func scores(level: String, department: String, random: inout SplitMix64) -> [PersonaScore] {
        let seniority: Int
        switch level {
        case "C Level": seniority = 100
        case "VP Level": seniority = 95
        case "Director Level": seniority = 85
        case "Manager Level": seniority = 70
        case "Board Level": seniority = 60
        default: seniority = 45
        }
        return PersonaScore.profileNames.indices.map { profileIndex in
            let profile = PersonaScore.profileNames[profileIndex]
            let home = Self.personaHomes[profileIndex]
            let affinity: Int
            if department == "Executive" {
                affinity = 65
            } else if home.first == department {
                affinity = 92
            } else if home.contains(department) {
                affinity = 60
            } else {
                affinity = 18
            }
            let value = affinity * seniority / 100 + random.int(in: -10...10)
            return PersonaScore(profileName: profile, value: min(100, max(0, value)))
        }
    }
}
