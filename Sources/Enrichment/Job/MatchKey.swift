import Foundation

/// Normalization of identifying fields into match keys: the key decides which rows count as the same lookup;
/// what is sent to Leadspace stays the user's original values.
///
/// Every function has a byte-level path for ASCII text (most business data), which gives the same result as the
/// Unicode path (NFKC, Unicode properties) at a fraction of the cost; tests hold the two paths equal.
public enum MatchKey {
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

    private static func nameKey(_ tokens: [String]) -> String {
        var tokens = Self.joinInitials(tokens)
        // Strip legal forms from the end, longest first, but never the whole name.
        var stripped = true
        while stripped && tokens.count > 1 {
            stripped = false
            for form in LegalForms.all where form.count < tokens.count && tokens.suffix(form.count).elementsEqual(form) {
                tokens.removeLast(form.count)
                stripped = true
                break
            }
        }
        if tokens.count > 1, tokens.first == "the" { tokens.removeFirst() }
        return tokens.joined(separator: " ")
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
        let labels = host.split(separator: UInt8(ascii: "."))
        guard labels.count >= 2 else { return String(decoding: host, as: UTF8.self) }
        func joined(_ count: Int) -> String {
            String(decoding: Array(labels.suffix(count).joined(separator: [UInt8(ascii: ".")])), as: UTF8.self)
        }
        let keep = PublicSuffixes.multiPart.contains(joined(2)) && labels.count >= 3 ? 3 : 2
        let registrable = joined(keep)
        return PublicSuffixes.freeMail.contains(registrable) ? "" : registrable
    }

    static func unicodeDomain(_ value: String) -> String {
        var host = value.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = host.range(of: "://") { host = String(host[range.upperBound...]) }
        if let end = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = String(host[..<end]) }
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        while host.hasSuffix(".") { host.removeLast() }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return host }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        let keep = PublicSuffixes.multiPart.contains(lastTwo) && labels.count >= 3 ? 3 : 2
        let registrable = labels.suffix(keep).joined(separator: ".")
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

enum LegalForms {
    // Tokens as MatchKey.name produces them (punctuation gone, initials joined), longest first.
    static let all: [[String]] = [
        "gmbh and co kg", "and company", "and co", "kabushiki kaisha", "sp z oo", "pty ltd", "pvt ltd", "private limited", "public limited company",
        "limited liability company", "incorporated", "corporation", "limited", "company", "holdings", "inc", "llc",
        "ltd", "plc", "corp", "co", "gmbh", "ag", "kg", "sa", "sas", "sarl", "sl", "spa", "srl", "bv", "nv", "oy",
        "oyj", "ab", "as", "asa", "aps", "pty", "kk", "llp", "lp", "se", "bvba", "ltda", "dac", "ug", "doo", "kft",
        "sro", "as", "sagl", "gk", "pte", "bhd", "sdn bhd", "nv sa", "cv", "sc", "ohg", "ev",
    ].map { $0.split(separator: " ").map(String.init) }.sorted { $0.count > $1.count }
}

enum PublicSuffixes {
    static let multiPart: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "com.au", "net.au", "org.au", "edu.au",
        "co.jp", "ne.jp", "or.jp", "co.nz", "org.nz", "com.br", "net.br", "com.mx", "co.za", "com.cn", "net.cn",
        "com.sg", "com.hk", "co.in", "net.in", "co.kr", "com.tr", "co.il", "com.ar", "com.co", "com.pe", "com.my",
        "co.id", "com.ph", "co.th", "com.tw", "com.vn", "com.ng", "co.ke", "com.eg", "com.sa", "com.pk", "co.at",
        "or.at", "com.pl", "com.es", "com.pt", "com.gr", "com.ua", "com.ru",
    ]

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
}
