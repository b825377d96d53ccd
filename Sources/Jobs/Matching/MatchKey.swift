import Formats
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
        return ("\(LegalForms.count) legal forms from \(LegalFormTable.source), \(Countries.byName.count) country names",
                "\(list.source) (\(list.ruleCount) rules)", list.source == PublicSuffixList.builtIn.source)
    }

    /// Case-folded (NFKC + lower case), whitespace collapsed.
    public static func fold(_ value: String) -> String {
        Self.isASCII(value) ? Self.asciiFold(value) : Self.nonASCIIFold(value)
    }

    /// ``unicodeFold(_:)`` of non-ASCII text; from the per-scalar table (``latinFold(_:)``) when NFKC cannot change it.
    static func nonASCIIFold(_ value: String) -> String {
        Self.isCompatibilityComposed(value) ? Self.latinFold(value) : Self.unicodeFold(value)
    }

    /// ``unicodeFold(_:)`` of text NFKC leaves as it is, scalar by scalar from ``latinLowerCase``: there every
    /// `Character` is one scalar (or "\r\n", both whitespace), so a whitespace `Character` is a whitespace scalar.
    static func latinFold(_ value: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        let table = Self.latinLowerCase
        for scalar in value.unicodeScalars {
            for lower in table[Int(scalar.value)] {
                if lower.isWhitespace {
                    pendingSpace = !output.isEmpty
                    continue
                }
                if pendingSpace {
                    output.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                UTF8.encode(lower.scalar) { output.append($0) }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func unicodeFold(_ value: String) -> String {
        Self.compatibilityComposed(value).lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func asciiFold(_ value: String) -> String {
        // Lower-cased into one buffer; a run of whitespace becomes one space, before the next word only.
        var value = value
        return value.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                var count = 0
                var pendingSpace = false
                for byte in bytes {
                    if Self.isASCIIWhitespace(byte) {
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace {
                        output[count] = UInt8(ascii: " ")
                        count += 1
                        pendingSpace = false
                    }
                    output[count] = Self.asciiLower(byte)
                    count += 1
                }
                return count
            }
        }
    }

    /// `value` in NFKC (`precomposedStringWithCompatibilityMapping`), the same scalars; text that NFKC cannot
    /// change (``isCompatibilityComposed(_:)``: most non-ASCII names are Latin-1 and Latin Extended-A) is
    /// returned as it is, without Foundation's costly normalization.
    static func compatibilityComposed(_ value: String) -> String {
        Self.isCompatibilityComposed(value) ? value : value.precomposedStringWithCompatibilityMapping
    }

    /// Whether every scalar of `value` is below U+0180 and not one of ``compatibilityChangedBelow0180``: no other
    /// scalar there has a decomposition NFKC does not recompose, and none composes with its neighbour
    /// (NormalizationTests derives the list and checks both from Foundation's normalization). `false` only means
    /// "not known": the caller normalizes.
    static func isCompatibilityComposed(_ value: String) -> Bool {
        var utf8 = value.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte < 0x80 { continue }
            // U+0080…U+017F are two bytes led by C2…C5.
            guard byte >= 0xC2, byte <= 0xC5, let next = utf8.next() else { return false }
            let scalar = UInt32(byte & 0x1F) << 6 | UInt32(next & 0x3F)
            if Self.compatibilityChangedBelow0180.contains(scalar) { return false }
        }
        return true
    }

    /// The scalars below U+0180 that NFKC changes: no-break space, spacing diacritics, ª º µ, superscript digits,
    /// vulgar fractions, Ĳ ĳ Ŀ ŀ ŉ ſ (checked against Foundation by NormalizationTests).
    static let compatibilityChangedBelow0180: Set<UInt32> = [
        0xA0, 0xA8, 0xAA, 0xAF, 0xB2, 0xB3, 0xB4, 0xB5, 0xB8, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE,
        0x132, 0x133, 0x13F, 0x140, 0x149, 0x17F,
    ]

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
    ///
    /// `country`: the row's country as ``country(_:)`` gives it; a short abbreviation of the legal-form list is
    /// stripped only in its own jurisdictions.
    public static func name(_ value: String, country: String = "") -> String {
        Self.name(tokens: Self.nameTokens(value), country: country)
    }

    /// ``name(_:country:)`` of a name's ``nameTokens(_:)`` (a row's name is tokenized once for this and
    /// ``isPlaceholder(tokens:)``).
    static func name(tokens: [String], country: String) -> String {
        Self.nameKey(tokens, country: country)
    }

    static func unicodeNameTokens(_ value: String) -> [String] {
        var folded = Self.compatibilityComposed(value).lowercased()
        // Foundation's replacement is costly even when there is nothing to replace (most names).
        if folded.utf8.contains(UInt8(ascii: "&")) { folded = folded.replacingOccurrences(of: "&", with: " and ") }
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

    /// ``unicodeNameTokens(_:)`` of text NFKC leaves as it is (``isCompatibilityComposed(_:)``: every scalar
    /// below U+0180), scalar by scalar from ``latinLowerCase`` instead of lower-casing the string and asking each
    /// scalar's properties (`lowercased()` maps each scalar on its own, so the table gives the same scalars).
    static func latinNameTokens(_ value: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        let table = Self.latinLowerCase
        for scalar in value.unicodeScalars {
            if scalar == "&" {
                // The Unicode path reads "&" as " and ".
                flush()
                tokens.append("and")
                continue
            }
            for lower in table[Int(scalar.value)] {
                if lower.isWord {
                    UTF8.encode(lower.scalar) { current.append($0) }
                } else {
                    flush()
                }
            }
        }
        flush()
        return tokens
    }

    /// One scalar of a lower-case mapping, with the properties the Latin paths ask.
    struct LowerCaseScalar {
        var scalar: Unicode.Scalar
        /// ``unicodeNameTokens(_:)`` keeps it in a word: alphabetic or numeric.
        var isWord: Bool
        var isWhitespace: Bool
    }

    /// Per scalar below U+0180: the scalars `lowercased()` maps it to.
    static let latinLowerCase: [[LowerCaseScalar]] = (0..<UInt32(0x180)).map { value in
        String(Unicode.Scalar(value)!).lowercased().unicodeScalars.map {
            LowerCaseScalar(scalar: $0, isWord: $0.properties.isAlphabetic || $0.properties.numericType != nil,
                            isWhitespace: $0.properties.isWhitespace)
        }
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
        Self.joinInitials(
            Self.isASCII(value)
                ? Self.asciiNameTokens(value)
                : Self.isCompatibilityComposed(value) ? Self.latinNameTokens(value) : Self.unicodeNameTokens(value))
    }

    /// "and" in the languages of the legal-form list, read as "and" between two words ("Müller und Söhne" =
    /// "Müller & Söhne", "Bouvet et Fils", "Pirelli e figli", "Ernst en Young").
    static let connectors: Set<String> = ["und", "et", "e", "y", "en", "og", "och", "ve", "és", "i", "u"]

    /// `tokens`: as ``nameTokens(_:)`` gives them (initials joined).
    private static func nameKey(_ tokens: [String], country: String) -> String {
        var tokens = tokens
        if tokens.count >= 3 {
            for index in 1..<(tokens.count - 1) where Self.connectors.contains(tokens[index]) { tokens[index] = "and" }
        }
        // A legal form followed by a country ("Holland Casino N.V. NL", "Ericsson AB Sweden"): the form and the
        // country go. (Followed by a city, "Brouwerij Alfa B.V. Utrecht": see ``withoutPlace(_:places:)``, which
        // knows the job's cities.)
        for tail in 1...3 where tokens.count - tail >= 2 {
            let end = tokens.count - tail
            guard Countries.isCountry(tokens[end...]) else { continue }
            if let start = Self.placeStart(tokens, end: end, country: country) {
                tokens.removeLast(tokens.count - start)
                break
            }
        }
        // Legal forms at the end, longest first, but never the whole name.
        while tokens.count > 1, let start = LegalForms.longestForm(endingAt: tokens.count, in: tokens, country: country),
            start >= 1
        {
            tokens.removeLast(tokens.count - start)
        }
        if tokens.count > 1, tokens.first == "the" { tokens.removeFirst() }
        return tokens.joined(separator: " ")
    }

    /// Where the legal form before `end` starts, when one does (not the whole name, and not an everyday word such
    /// as "Company" or "Limited", which may be part of a name before a place).
    private static func placeStart(_ tokens: [String], end: Int, country: String) -> Int? {
        guard let start = LegalForms.longestForm(endingAt: end, in: tokens, country: country), start >= 1,
            LegalForms.isDistinctive(tokens[start..<end])
        else { return nil }
        return start
    }

    /// A name key without a legal form and the place after it, when the place is one of `places` (folded words
    /// of the job's cities, joined by spaces): "brouwerij alfa bv utrecht" → "brouwerij alfa". `nil` when the name
    /// does not end so. Cities are only known per job, so this is a step of the job's matching rules.
    public static func withoutPlace(_ nameKey: String, places: Set<String>, country: String = "") -> String? {
        if Self.endsInNoPlace(nameKey, places: places) { return nil }
        var tokens = nameKey.split(separator: " ").map(String.init)
        for tail in 1...3 where tokens.count - tail >= 2 {
            let end = tokens.count - tail
            guard places.contains(tokens[end...].joined(separator: " ")),
                let start = Self.placeStart(tokens, end: end, country: country)
            else { continue }
            tokens.removeLast(tokens.count - start)
            while tokens.count > 1, let start = LegalForms.longestForm(endingAt: tokens.count, in: tokens, country: country),
                start >= 1
            {
                tokens.removeLast(tokens.count - start)
            }
            return tokens.joined(separator: " ")
        }
        return nil
    }

    /// Whether ``withoutPlace(_:places:country:)`` is `nil` because none of the name's last three words (as it
    /// would split them: at most the words after the first two) is one of `places`, read off the bytes without
    /// splitting the name. `false` when that cannot be told so: an empty word, or a non-ASCII character next to a
    /// space (it might form one `Character` with it).
    private static func endsInNoPlace(_ nameKey: String, places: Set<String>) -> Bool {
        var nameKey = nameKey
        return nameKey.withUTF8 { bytes in
            let space = UInt8(ascii: " ")
            guard let first = bytes.first, let last = bytes.last, first != space, last != space else { return false }
            // Where each of the last words starts, from the end; and how many words there are.
            var starts: [Int] = []
            var words = 1
            for index in bytes.indices.reversed() where bytes[index] == space {
                guard bytes[index + 1] != space, bytes[index + 1] < 0x80, bytes[index - 1] < 0x80 else { return false }
                words += 1
                if starts.count < 3 { starts.append(index + 1) }
            }
            for (offset, start) in starts.enumerated() where words - (offset + 1) >= 2 {
                let suffix = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
                if places.contains(suffix) { return false }
            }
            return true
        }
    }

    /// Whether a company name is no company at all: nothing left once folded (`-`, `.`, `???`), a placeholder
    /// word or phrase in one of several languages (`N/A`, `Unknown`, `test`, `Self-employed`, `inconnu`,
    /// `unbekannt`…), a legal form alone (`Inc`, `LLC`), or one character repeated (`x`, `xxx`, `000`).
    /// Such rows are `InvalidInput` ("placeholder name") and never paid for.
    public static func isPlaceholder(_ name: String) -> Bool {
        Self.isPlaceholder(tokens: Self.nameTokens(name))
    }

    /// ``isPlaceholder(_:)`` of a name's ``nameTokens(_:)``.
    static func isPlaceholder(tokens: [String]) -> Bool {
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
            // One byte is one ASCII `Character`; only a longer token needs counting by `Character`s.
            let utf8 = token.utf8
            let isInitial = utf8.count == 1
                ? utf8.first.map { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") } ?? false
                : utf8.count > 1 && token.count == 1 && token.first!.isLetter
            if isInitial {
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
        // The host's bounds are found on the value's own bytes (lower-casing changes none of the delimiters), and
        // only the host is lower-cased into a string.
        var value = value
        let host = value.withUTF8 { bytes -> String in
            var start = 0
            var end = bytes.count
            // CharacterSet.whitespaces in ASCII: space and tab.
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            var index = start
            while index + 3 <= end {
                if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/")
                    && bytes[index + 2] == UInt8(ascii: "/")
                {
                    start = index + 3
                    break
                }
                index += 1
            }
            if let cut = (start..<end).first(where: {
                bytes[$0] == UInt8(ascii: "/") || bytes[$0] == UInt8(ascii: "?") || bytes[$0] == UInt8(ascii: "#")
            }) {
                end = cut
            }
            if let at = (start..<end).last(where: { bytes[$0] == UInt8(ascii: "@") }) { start = at + 1 }
            if let colon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ":") }) { end = colon }
            while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            return String(unsafeUninitializedCapacity: end - start) { output in
                for offset in 0..<(end - start) { output[offset] = Self.asciiLower(bytes[start + offset]) }
                return end - start
            }
        }
        let registrable = PublicSuffixList.shared.registrableDomain(host)
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

    /// The country of a registrable domain's country-code top-level domain (`acme.se` → `SE`, `acme.co.uk` →
    /// `GB`); empty for generic ones (`.com`, `.eu`) and codes that are sold as generic (`.io`, `.co`, `.tv`…).
    public static func countryOfDomain(_ domain: String) -> String {
        guard let dot = domain.lastIndex(of: ".") else { return "" }
        let tld = domain[domain.index(after: dot)...]
        guard tld.count == 2, !["io", "co", "tv", "me", "ai", "ly", "fm", "gg", "to", "cc", "ws", "la", "sh"].contains(tld)
        else { return "" }
        let code = tld == "uk" ? "GB" : tld.uppercased()
        return Countries.codes.contains(code.lowercased()) ? code : ""
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
            : self.nonASCIIFold(value).replacingOccurrences(of: ".", with: "")
        if folded.isEmpty { return "" }
        if let code = Countries.byName[folded] { return code }
        // Catalogue order: "Netherlands, The", "Korea, Republic of" (the latter is ISO's own name).
        if let comma = folded.lastIndex(of: ","), let code = Countries.byName[
            folded[folded.index(after: comma)...].trimmingCharacters(in: .whitespaces) + " "
                + folded[..<comma].trimmingCharacters(in: .whitespaces)]
        {
            return code
        }
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
    /// Folded names, alpha-3 codes and local names → alpha-2: ISO 3166-1 as Debian's iso-codes package has it
    /// (English names, official and common names, alpha-3 codes, and the names in the languages of
    /// ``IsoCodes/languages``), over the variants CRM data uses that the standard does not list ("USA", "UK",
    /// "Holland", "England"). Without iso-codes, the variants alone.
    static let byName: [String: String] = {
        var map = Self.variants
        for (name, code) in IsoCodes.countries() where map[name] == nil { map[name] = code }
        return map
    }()

    /// Variants not in ISO 3166 (or not in the languages read from it), and the local names of the markets seen
    /// most, so that keys stay right on a system without iso-codes.
    static let variants: [String: String] = {
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
            ("UA", ["ukr", "ukraine"]), ("IE", ["republic of ireland"]),
            ("AT", ["oesterreich"]), ("AU", ["commonwealth of australia"]), ("CH", ["svizzera", "confederation helvetique"]), ("EG", ["egy", "egypt"]), ("NG", ["nga", "nigeria"]), ("KE", ["ken", "kenya"]),
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

    /// ISO 3166 alpha-2 codes, lower-cased.
    static let codes: Set<String> = Set(Self.byName.values.map { $0.lowercased() })

    /// Whether words name a country: its name or alpha-3 code in a language known here, or an alpha-2 code.
    static func isCountry(_ words: ArraySlice<String>) -> Bool {
        if words.count == 1, let word = words.first, word.count == 2 { return Self.codes.contains(word) }
        return Self.byName[words.joined(separator: " ")] != nil
    }

    /// Every word of those names ("united", "kingdom", "deutschland"): words that tell companies apart.
    static let words: Set<String> = {
        var words = Set<String>(minimumCapacity: Self.byName.count * 2)
        for name in Self.byName.keys {
            guard MatchKey.isASCII(name) else {
                for word in name.split(separator: " ") { words.insert(String(word)) }
                continue
            }
            // ASCII names (most) split on the bytes: there a space is always a `Character` of its own.
            var name = name
            name.withUTF8 { bytes in
                var start = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
                    if index > start {
                        words.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    }
                    start = index + 1
                }
            }
        }
        return words
    }()
}

/// ISO 3166-1 from Debian's iso-codes package: `/usr/share/iso-codes/json/iso_3166-1.json` and the gettext
/// translations of its names in `/usr/share/locale/LANG/LC_MESSAGES/iso_3166-1.mo`.
enum IsoCodes {
    static let jsonPath = "/usr/share/iso-codes/json/iso_3166-1.json"
    /// The languages whose country names are read: those of the markets B2B data comes from most.
    static let languages = ["de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "cs"]

    /// Folded names (as ``MatchKey/country(_:)`` folds its input) → alpha-2; empty when iso-codes is missing.
    /// A name two countries share (in different languages) is left out.
    static func countries(localeRoot: String = "/usr/share/locale") -> [String: String] {
        guard let data = FileManager.default.contents(atPath: Self.jsonPath),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = root["3166-1"] as? [[String: String]]
        else { return [:] }
        var names: [String: String] = [:]
        var conflicting = Set<String>()
        func add(_ name: String, _ code: String) {
            let folded = Self.fold(name)
            guard !folded.isEmpty, folded.count > 2 || folded == code.lowercased() else { return }
            if let known = names[folded], known != code { conflicting.insert(folded) } else { names[folded] = code }
        }
        var englishToCode: [String: String] = [:]
        for entry in entries {
            guard let code = entry["alpha_2"] else { continue }
            for field in ["name", "official_name", "common_name"] {
                guard let name = entry[field] else { continue }
                englishToCode[name] = code
                add(name, code)
            }
            if let alpha3 = entry["alpha_3"] { add(alpha3, code) }
        }
        for language in Self.languages {
            let path = "\(localeRoot)/\(language)/LC_MESSAGES/iso_3166-1.mo"
            guard let catalog = FileManager.default.contents(atPath: path) else { continue }
            for (original, translated) in Self.messages([UInt8](catalog)) {
                if let code = englishToCode[original] { add(translated, code) }
            }
        }
        for name in conflicting { names[name] = nil }
        return names
    }

    /// As ``MatchKey/country(_:)`` folds: NFKC, lower case, whitespace collapsed, dots dropped.
    static func fold(_ name: String) -> String {
        // As MatchKey.country: the ASCII path for ASCII names (most of them), Foundation's replacement only
        // when there is a dot.
        if MatchKey.isASCII(name) {
            return String(decoding: MatchKey.asciiFold(name).utf8.filter { $0 != UInt8(ascii: ".") }, as: UTF8.self)
        }
        let folded = MatchKey.nonASCIIFold(name)
        return folded.utf8.contains(UInt8(ascii: ".")) ? folded.replacingOccurrences(of: ".", with: "") : folded
    }

    /// The (original, translation) pairs of a GNU gettext `.mo` catalog; none when it is not one.
    static func messages(_ bytes: [UInt8]) -> [(String, String)] {
        guard bytes.count >= 28 else { return [] }
        func word(_ at: Int, bigEndian: Bool) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            let value = bytes[at..<(at + 4)].enumerated().reduce(UInt32(0)) { value, byte in
                value | UInt32(byte.element) << (bigEndian ? 8 * (3 - byte.offset) : 8 * byte.offset)
            }
            return Int(value)
        }
        let bigEndian: Bool
        switch word(0, bigEndian: false) {
        case 0x9504_12de: bigEndian = false
        case 0xde12_0495: bigEndian = true
        default: return []
        }
        guard let count = word(8, bigEndian: bigEndian), let originals = word(12, bigEndian: bigEndian),
            let translations = word(16, bigEndian: bigEndian), count < 100_000
        else { return [] }
        func string(_ table: Int, _ index: Int) -> String? {
            guard let length = word(table + 8 * index, bigEndian: bigEndian),
                let offset = word(table + 8 * index + 4, bigEndian: bigEndian), offset + length <= bytes.count
            else { return nil }
            return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        }
        var pairs: [(String, String)] = []
        for index in 0..<count {
            guard let original = string(originals, index), !original.isEmpty,
                let translated = string(translations, index), !translated.isEmpty
            else { continue }
            pairs.append((original, translated))
        }
        return pairs
    }
}
