import SplitMix

/// The ways a CRM holds a company's website: with or without scheme, `www`, paths, query strings, odd case.
enum WebsiteVariants {
    static func variant(of domain: String, random: inout SplitMix64) -> String {
        switch random.int(below: 100) {
        case ..<18: return "https://www.\(domain)"
        case ..<28: return "http://\(domain)"
        case ..<46: return "www.\(domain)"
        case ..<66: return domain
        case ..<76: return "https://\(domain)/"
        case ..<84: return "https://www.\(domain)/\(random.pick(["about-us", "en/", "contact", "home.html"]))"
        case ..<88: return "HTTP://WWW.\(domain.uppercased())/"
        case ..<94: return "\(domain)/?utm_source=crm&utm_medium=import"
        default: return "www.\(domain):443/"
        }
    }
}
