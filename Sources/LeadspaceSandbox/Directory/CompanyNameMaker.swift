import SplitMix

/// Makes plausible company base names (without legal form) in a country's naming tradition.
enum CompanyNameMaker {
    /// Returns one candidate base name; the caller checks uniqueness and asks again when it collides.
    static func baseName(style: NameStyle, industry: Industry, random: inout SplitMix64) -> String {
        let nouns = industry.nouns(for: style)
        let brands = CompanyNameWords.brands(for: style)
        let founders = CompanyNameWords.founders(for: style)
        let noun = random.pick(nouns)
        let roll = random.int(below: 100)
        switch style {
        case .english:
            switch roll {
            case ..<38: return "\(random.pick(brands)) \(noun)"
            case ..<63: return "\(Self.compound(style: style, random: &random)) \(noun)"
            case ..<78: return "\(random.pick(founders)) \(noun)"
            case ..<88: return "\(random.pick(founders)) & \(random.pick(founders))"
            case ..<94: return "\(random.pick(brands)) \(noun) Group"
            default: return Self.compound(style: style, random: &random)
            }
        case .german, .dutch:
            switch roll {
            case ..<40: return "\(random.pick(founders)) \(noun)"
            case ..<65: return "\(random.pick(brands)) \(noun)"
            case ..<85: return "\(Self.compound(style: style, random: &random)) \(noun)"
            case ..<95: return "\(random.pick(founders)) & \(random.pick(founders))"
            default: return Self.compound(style: style, random: &random)
            }
        case .french:
            switch roll {
            case ..<30: return "\(random.pick(founders)) \(noun)"
            case ..<60: return "\(noun) \(random.pick(brands))"
            case ..<75: return "Groupe \(random.pick(founders))"
            case ..<85: return "\(random.pick(founders)) & \(random.pick(founders))"
            default: return "\(random.pick(brands)) \(noun)"
            }
        case .nordic:
            switch roll {
            case ..<40: return "\(random.pick(brands)) \(noun)"
            case ..<75: return "\(Self.compound(style: style, random: &random)) \(noun)"
            case ..<90: return "\(random.pick(founders)) \(noun)"
            default: return Self.compound(style: style, random: &random)
            }
        case .italian:
            switch roll {
            case ..<35: return "\(random.pick(founders)) \(noun)"
            case ..<65: return "\(noun) \(random.pick(brands))"
            case ..<80: return "\(random.pick(brands)) \(noun)"
            case ..<90: return "Fratelli \(random.pick(founders))"
            default: return "\(random.pick(founders)) & \(random.pick(founders))"
            }
        case .spanish:
            switch roll {
            case ..<35: return "\(noun) \(random.pick(brands))"
            case ..<65: return "\(random.pick(founders)) \(noun)"
            case ..<80: return "Grupo \(random.pick(founders))"
            case ..<90: return "\(random.pick(founders)) y \(random.pick(founders))"
            default: return "\(random.pick(brands)) \(noun)"
            }
        case .japanese:
            switch roll {
            case ..<60: return "\(random.pick(brands)) \(noun)"
            case ..<90: return "\(random.pick(founders)) \(noun)"
            default: return "\(random.pick(brands)) \(random.pick(founders)) \(noun)"
            }
        }
    }

    /// A brand made of two parts, "Northbridge" or "Nordstein"; styles without parts fall back to a brand word.
    private static func compound(style: NameStyle, random: inout SplitMix64) -> String {
        guard let parts = CompanyNameWords.compoundParts(for: style) else {
            return random.pick(CompanyNameWords.brands(for: style))
        }
        let head = random.pick(parts.heads)
        var tail = random.pick(parts.tails)
        // A doubled letter at the seam reads like a typo ("Starridge"); drop the tail's first letter instead.
        if let last = head.last, let first = tail.first, last == first {
            tail.removeFirst()
        }
        return head + tail
    }
}
