import SplitMix

/// The ways a CRM misspells a company name: other legal-form spellings, case, spacing, "&" for "and",
/// missing accents, a typo, only the first word, a qualifier.
enum NameVariants {
    /// A variant of the company's name drawn with realistic frequencies; the caller verifies it still matches.
    static func variant(of company: Company, random: inout SplitMix64) -> String {
        let base = company.baseName
        switch random.int(below: 100) {
        case ..<36:
            return company.name
        case ..<50:
            return base
        case ..<64:
            guard let spelling = Self.legalFormSpellings[company.legalForm].map({ random.pick($0) }) else {
                return company.name
            }
            return spelling.hasPrefix(",") ? base + spelling : base + " " + spelling
        case ..<69:
            return company.name.uppercased()
        case ..<73:
            return company.name.lowercased()
        case ..<78:
            return Self.messySpacing(company.name, random: &random)
        case ..<84:
            return Self.swappingAmpersand(company.name) ?? Self.withoutAccents(company.name)
        case ..<89:
            return Self.withoutAccents(company.name)
        case ..<94:
            return Self.typo(in: base, random: &random) + (random.chance(0.5) ? " " + company.legalForm : "")
        case ..<97:
            return base.split(separator: " ").first.map(String.init) ?? base
        default:
            return base + " " + random.pick(["Group", "Holdings", "International", "Europe", "Services"])
        }
    }

    /// Other ways people write each legal form the directory uses; a leading comma attaches without a space.
    static let legalFormSpellings: [String: [String]] = [
        "Inc": ["Inc.", ", Inc.", "Incorporated", "INC"],
        "LLC": ["L.L.C.", ", LLC", "llc"],
        "Corp": ["Corp.", "Corporation", "CORP"],
        "Ltd": ["Ltd.", "Limited", "LTD"],
        "PLC": ["plc", "P.L.C."],
        "DAC": ["D.A.C."],
        "GmbH": ["G.m.b.H.", "GMBH", "Gmbh"],
        "AG": ["A.G."],
        "GmbH & Co. KG": ["GmbH & Co KG", "GmbH & Co.KG"],
        "SA": ["S.A."],
        "SAS": ["S.A.S.", "sas"],
        "SARL": ["S.A.R.L.", "Sàrl"],
        "BV": ["B.V.", "bv"],
        "NV": ["N.V."],
        "AB": ["Aktiebolag", "ab"],
        "Oy": ["OY", "Oy."],
        "Oyj": ["OYJ"],
        "AS": ["A/S", "A.S."],
        "ASA": ["A.S.A."],
        "ApS": ["APS", "Aps"],
        "A/S": ["AS", "A.S."],
        "Srl": ["S.r.l.", "SRL"],
        "SpA": ["S.p.A.", "SPA"],
        "SL": ["S.L."],
        "Pty Ltd": ["Pty. Ltd.", "PTY LTD", "Pty Limited"],
        "KK": ["K.K.", "Kabushiki Kaisha"],
        "Co., Ltd.": ["Co Ltd", "Co., Limited"],
    ]

    /// Doubled inner spaces and stray outer ones, as pasted data has.
    private static func messySpacing(_ name: String, random: inout SplitMix64) -> String {
        let words = name.split(separator: " ")
        var result = random.chance(0.4) ? " " : ""
        for (index, word) in words.enumerated() {
            if index > 0 {
                result += random.chance(0.5) ? "  " : " "
            }
            result += word
        }
        return result + (random.chance(0.5) ? "  " : " ")
    }

    /// "Carter & Hughes" ↔ "Carter and Hughes"; nil when the name has neither.
    private static func swappingAmpersand(_ name: String) -> String? {
        if name.contains(" & ") {
            return name.replacing(" & ", with: " and ")
        }
        if name.contains(" and ") {
            return name.replacing(" and ", with: " & ")
        }
        return nil
    }

    /// The name with accents dropped but case kept ("Müller Bau" → "Muller Bau").
    static func withoutAccents(_ text: String) -> String {
        var result = ""
        for character in text {
            guard !character.isASCII, character.isLetter else {
                result.append(character)
                continue
            }
            var folded = ""
            for scalar in character.unicodeScalars {
                _ = TextFolding.appendFolded(scalar, to: &folded)
            }
            result += character.isUppercase ? folded.uppercased() : folded
        }
        return result
    }

    /// One slip of the keyboard in a word of the name: a dropped, doubled, swapped or replaced letter.
    private static func typo(in name: String, random: inout SplitMix64) -> String {
        var characters = Array(name)
        let letterPositions = characters.indices.filter { $0 > 0 && characters[$0].isLetter }
        guard !letterPositions.isEmpty else {
            return name
        }
        let position = random.pick(letterPositions)
        switch random.int(below: 4) {
        case 0:
            characters.remove(at: position)
        case 1:
            characters.insert(characters[position], at: position)
        case 2:
            if position + 1 < characters.count, characters[position + 1].isLetter {
                characters.swapAt(position, position + 1)
            } else {
                characters.remove(at: position)
            }
        default:
            let replacement = random.pick(Array("aeiourstnl"))
            characters[position] = characters[position] == replacement ? "x" : replacement
        }
        return String(characters)
    }
}
