import Foundation

/// Normalization of identifying fields into match keys: the key decides which rows count as the same lookup;
/// what is sent to Leadspace stays the user's original values.
///
/// Every function has a byte-level path for ASCII text (most business data), which gives the same result as the
/// Unicode path (NFKC, Unicode properties) at a fraction of the cost; tests hold the two paths equal.
public enum MatchKey {
    /// The reference data keys are built from (loaded on first use): the legal-form table's source and size, and
    /// where the public suffixes come from.
    public static var referenceData: (legalForms: String, publicSuffixes: String, publicSuffixesBuiltIn: Bool) {
        let list = PublicSuffixList.shared
        return ("\(LegalForms.count) legal forms from \(LegalFormTable.source)", "\(list.source) (\(list.ruleCount) rules)",
                list.source == PublicSuffixList.builtIn.source)
    }

    /// Case-folded (NFKC + lower case), whitespace collapsed.
    public static func fold(_ value: String) -> String {
        Self.isASCII(value) ? Self.asciiFold(value) : Self.unicodeFold(value)
    }

    static func unicodeFold(_ value: String) -> String {
        value.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func asciiFold(_ value: String) -> String {
        var words: [ArraySlice<UInt8>] = []
        let lowered = value.utf8.map(Self.asciiLower)
        var start = 0
        for (index, byte) in lowered.enumerated() where Self.isASCIIWhitespace(byte) {
            if index > start { words.append(lowered[start..<index]) }
            start = index + 1
        }
        if lowered.count > start { words.append(lowered[start...]) }
        return String(decoding: Array(words.joined(separator: [UInt8(ascii: " ")])), as: UTF8.self)
    }

    @inline(__always)
    static func isASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 < 0x80 }
    }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// `Character.isWhitespace` for ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A company name folded, punctuation dropped, `&` read as "and", legal forms stripped from the end
    /// ("Acme, Inc." = "ACME Incorporated" = "acme").
    public static func name(_ value: String) -> String {
        Self.nameKey(Self.isASCII(value) ? Self.asciiNameTokens(value) : Self.unicodeNameTokens(value))
    }

    static func unicodeNameTokens(_ value: String) -> [String] {
        let folded = value.precomposedStringWithCompatibilityMapping.lowercased()
            .replacingOccurrences(of: "&", with: " and ")
        var tokens: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// Runs of ASCII letters and digits, lower-cased; `&` is the word "and".
    static func asciiNameTokens(_ value: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in value.utf8 {
            let lower = Self.asciiLower(byte)
            if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9"))
            {
                current.append(lower)
                continue
            }
            if !current.isEmpty {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
            if byte == UInt8(ascii: "&") { tokens.append("and") }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    /// The words of a name as keys compare them: folded, punctuation gone, initials joined ("S.A." → "sa").
    public static func nameTokens(_ value: String) -> [String] {
        Self.joinInitials(Self.isASCII(value) ? Self.asciiNameTokens(value) : Self.unicodeNameTokens(value))
    }

    private static func nameKey(_ tokens: [String]) -> String {
        var tokens = Self.joinInitials(tokens)
        // A legal form followed by a place ("Brouwerij Alfa B.V. Utrecht", "Holland Casino N.V. NL"): the form and
        // the one or two words after it go, when the form is not also an everyday word ("Company", "Limited") and
        // the words after it are letters and no legal form themselves.
        for tail in 1...2 where tokens.count - tail >= 2 {
            let end = tokens.count - tail
            guard tokens[end...].allSatisfy({ Self.isPlaceWord($0) }),
                let start = LegalForms.longestForm(endingAt: end, in: tokens), start >= 1,
                LegalForms.isDistinctive(tokens[start..<end])
            else { continue }
            tokens.removeLast(tokens.count - start)
            break
        }
        // Legal forms at the end, longest first, but never the whole name.
        while tokens.count > 1, let start = LegalForms.longestForm(endingAt: tokens.count, in: tokens), start >= 1 {
            tokens.removeLast(tokens.count - start)
        }
        if tokens.count > 1, tokens.first == "the" { tokens.removeFirst() }
        return tokens.joined(separator: " ")
    }

    /// A word that may follow a legal form as a city or country: letters only, not itself a legal form.
    private static func isPlaceWord(_ token: String) -> Bool {
        !token.unicodeScalars.contains { $0.properties.numericType != nil } && !LegalForms.isSingleWordForm(token)
    }

    /// Whether a company name is no company at all: nothing left once folded (`-`, `.`, `???`), a placeholder
    /// word or phrase in one of several languages (`N/A`, `Unknown`, `test`, `Self-employed`, `inconnu`,
    /// `unbekannt`…), a legal form alone (`Inc`, `LLC`), or one character repeated (`x`, `xxx`, `000`).
    /// Such rows are `InvalidInput` ("placeholder name") and never paid for.
    public static func isPlaceholder(_ name: String) -> Bool {
        let tokens = Self.nameTokens(name)
        guard !tokens.isEmpty else { return true }
        if Placeholders.phrases.contains(tokens.joined(separator: " ")) { return true }
        if LegalForms.longestForm(endingAt: tokens.count, in: tokens) == 0 { return true }
        if tokens.count == 1, let word = tokens.first, word.utf8.allSatisfy({ $0 < 0x80 }),
            let first = word.utf8.first, word.utf8.allSatisfy({ $0 == first })
        {
            return true
        }
        return false
    }

    /// "s a" (from "S.A.") → "sa": runs of single letters are abbreviations.
    static func joinInitials(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var run = ""
        for token in tokens {
            if token.count == 1 && token.first!.isLetter {
                run += token
            } else {
                if !run.isEmpty { result.append(run); run = "" }
                result.append(token)
            }
        }
        if !run.isEmpty { result.append(run) }
        return result
    }

    /// A website reduced to its registrable domain: scheme, `www`, port, path and query dropped, and subdomains
    /// cut down to the domain under its public suffix (`shop.acme.co.uk` → `acme.co.uk`). Free-mail domains are
    /// never a company's website: they give "".
    public static func domain(_ value: String) -> String {
        Self.isASCII(value) ? Self.asciiDomain(value) : Self.unicodeDomain(value)
    }

    static func asciiDomain(_ value: String) -> String {
        var host = ArraySlice(value.utf8.map(Self.asciiLower))
        // CharacterSet.whitespaces in ASCII: space and tab.
        while let first = host.first, first == 0x20 || first == 0x09 { host.removeFirst() }
        while let last = host.last, last == 0x20 || last == 0x09 { host.removeLast() }
        var index = host.startIndex
        while index + 3 <= host.endIndex {
            if host[index] == UInt8(ascii: ":") && host[index + 1] == UInt8(ascii: "/") && host[index + 2] == UInt8(ascii: "/") {
                host = host[(index + 3)...]
                break
            }
            index += 1
        }
        if let end = host.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            host = host[..<end]
        }
        if let at = host.lastIndex(of: UInt8(ascii: "@")) { host = host[(at + 1)...] }
        if let colon = host.firstIndex(of: UInt8(ascii: ":")) { host = host[..<colon] }
        while host.last == UInt8(ascii: ".") { host.removeLast() }
        let registrable = PublicSuffixList.shared.registrableDomain(String(decoding: host, as: UTF8.self))
        return PublicSuffixes.freeMail.contains(registrable) ? "" : registrable
    }

    static func unicodeDomain(_ value: String) -> String {
        var host = value.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = host.range(of: "://") { host = String(host[range.upperBound...]) }
        if let end = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = String(host[..<end]) }
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        while host.hasSuffix(".") { host.removeLast() }
        let registrable = PublicSuffixList.shared.registrableDomain(host)
        return PublicSuffixes.freeMail.contains(registrable) ? "" : registrable
    }

    /// Whether a website is a free-mail domain (never sent as a company's website).
    public static func isFreeMail(_ website: String) -> Bool {
        if Self.isASCII(website) {
            return website.utf8.contains { $0 != 0x20 && $0 != 0x09 } && self.asciiDomain(website).isEmpty
        }
        return !website.trimmingCharacters(in: .whitespaces).isEmpty && self.unicodeDomain(website).isEmpty
    }

    /// A country as ISO 3166 alpha-2 from its code, alpha-3 code, or a common name; folded text otherwise.
    public static func country(_ value: String) -> String {
        let folded = Self.isASCII(value)
            ? String(decoding: self.asciiFold(value).utf8.filter { $0 != UInt8(ascii: ".") }, as: UTF8.self)
            : self.unicodeFold(value).replacingOccurrences(of: ".", with: "")
        if folded.isEmpty { return "" }
        if let code = Countries.byName[folded] { return code }
        if folded.count == 2 { return folded.uppercased() }
        return folded
    }
}

enum PublicSuffixes {
    /// Free-mail domains: no standard list exists (the Public Suffix List lists none of them), so this is the
    /// providers seen most in CRM exports.
    static let freeMail: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "hotmail.com",
        "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com",
        "mac.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.ru", "yandex.com",
        "proton.me", "protonmail.com", "qq.com", "163.com", "126.com", "zoho.com", "t-online.de", "orange.fr",
        "free.fr", "laposte.net", "libero.it", "virgilio.it", "comcast.net", "verizon.net",
    ]
}

enum Countries {
    /// Folded names, alpha-3 codes and variants → alpha-2.
    static let byName: [String: String] = {
        let table: [(String, [String])] = [
            ("US", ["usa", "united states", "united states of america", "us of a", "america", "u s", "u s a"]),
            ("GB", ["gbr", "united kingdom", "uk", "great britain", "britain", "england", "scotland", "wales",
                    "northern ireland"]),
            ("DE", ["deu", "germany", "deutschland"]), ("FR", ["fra", "france"]), ("ES", ["esp", "spain", "españa", "espana"]),
            ("IT", ["ita", "italy", "italia"]), ("NL", ["nld", "netherlands", "the netherlands", "holland", "nederland"]),
            ("BE", ["bel", "belgium", "belgique", "belgië", "belgie"]), ("CH", ["che", "switzerland", "schweiz", "suisse"]),
            ("AT", ["aut", "austria", "österreich", "osterreich"]), ("SE", ["swe", "sweden", "sverige"]),
            ("NO", ["nor", "norway", "norge"]), ("DK", ["dnk", "denmark", "danmark"]), ("FI", ["fin", "finland", "suomi"]),
            ("IE", ["irl", "ireland", "éire", "eire"]), ("PT", ["prt", "portugal"]), ("PL", ["pol", "poland", "polska"]),
            ("CZ", ["cze", "czech republic", "czechia"]), ("GR", ["grc", "greece"]), ("HU", ["hun", "hungary"]),
            ("RO", ["rou", "romania"]), ("LU", ["lux", "luxembourg"]), ("CA", ["can", "canada"]),
            ("MX", ["mex", "mexico", "méxico"]), ("BR", ["bra", "brazil", "brasil"]), ("AR", ["arg", "argentina"]),
            ("CL", ["chl", "chile"]), ("CO", ["col", "colombia"]), ("AU", ["aus", "australia"]),
            ("NZ", ["nzl", "new zealand"]), ("JP", ["jpn", "japan", "nippon"]), ("CN", ["chn", "china", "prc"]),
            ("HK", ["hkg", "hong kong"]), ("SG", ["sgp", "singapore"]), ("IN", ["ind", "india"]),
            ("KR", ["kor", "south korea", "korea", "republic of korea"]), ("TW", ["twn", "taiwan"]),
            ("IL", ["isr", "israel"]), ("AE", ["are", "united arab emirates", "uae"]), ("SA", ["sau", "saudi arabia"]),
            ("ZA", ["zaf", "south africa"]), ("TR", ["tur", "turkey", "türkiye", "turkiye"]), ("RU", ["rus", "russia"]),
            ("UA", ["ukr", "ukraine"]), ("EG", ["egy", "egypt"]), ("NG", ["nga", "nigeria"]), ("KE", ["ken", "kenya"]),
            ("MY", ["mys", "malaysia"]), ("TH", ["tha", "thailand"]), ("ID", ["idn", "indonesia"]),
            ("PH", ["phl", "philippines"]), ("VN", ["vnm", "vietnam", "viet nam"]), ("PK", ["pak", "pakistan"]),
            ("EE", ["est", "estonia"]), ("LV", ["lva", "latvia"]), ("LT", ["ltu", "lithuania"]),
            ("IS", ["isl", "iceland"]), ("SK", ["svk", "slovakia"]), ("SI", ["svn", "slovenia"]), ("HR", ["hrv", "croatia"]),
        ]
        var map: [String: String] = [:]
        for (code, names) in table {
            for name in names { map[name] = code }
        }
        return map
    }()

    /// Every word of those names ("united", "kingdom", "deutschland"): words that tell companies apart.
    static let words: Set<String> = Set(Self.byName.keys.flatMap { $0.split(separator: " ").map(String.init) })
}
