import Formats

/// Which of a job's distinct company keys can share one lookup beyond "equal keys": the rules that make "pay once"
/// hold on real data, each with the guard that keeps two companies apart.
///
/// - **Incomplete twins**: a key that lacks the website or the country (`acme||US`) joins the one fuller key it
///   is compatible with (same name, every field it has agrees: `acme|acme.com|US`) when that fuller key is unique;
///   two compatible fuller keys (an Acme in the US and one in Germany) mean no merge. A key with neither website
///   nor country joins only when all the job's keys of that name lead to one company.
/// - **Across jobs** (``known``: answers already in the job's ledger or the persistent cache): when the job has no
///   fuller twin of its own, the same rule over those, but only for keys that have a website or a country: a name
///   alone seen in another job is not evidence enough.
/// - **Near-duplicates**: names equal but for one word that differs by one edit (an insertion, deletion,
///   substitution or transposition). By default only when the two spellings' rows name the same website (then
///   any word of five letters or more). With ``NearDuplicates/any`` also without that evidence, in a long word
///   ("Handelsmaatschapij" / "Handelsmaatschappij") of a name of two words or more, unless the word has a digit,
///   is shorter than eight letters (East/West, Nord/Süd, numbers never qualify), names a country or one of the
///   job's cities, the edit touches a vowel, the first letter or a plural "s", or the rows name different
///   websites.
///
/// The representative of a group — the record that is sent — is the fuller key, or for near-duplicates the
/// spelling with the most rows (the first seen on a tie).
public struct LookupGrouping: Sendable {
    public enum Rule: String, Sendable, CaseIterable, Codable {
        /// A legal form followed by one of the job's cities ("Brouwerij Alfa B.V. Utrecht" = "Brouwerij Alfa").
        case placeAfterLegalForm
        case incompleteTwin
        case nearDuplicate
    }

    /// Which near-duplicate spellings share a lookup.
    public enum NearDuplicates: String, Sendable, Equatable, CaseIterable {
        /// None.
        case off
        /// Only spellings whose rows name the same website (the default: that evidence holds precision).
        case sameWebsite
        /// Also spellings without that evidence, by the guarded one-typo rule (on labelled real names its merges
        /// were wrong too often to be the default: see docs/BENCHMARKS.md).
        case any
    }

    public struct Options: Sendable, Equatable {
        public var incompleteTwins: Bool
        public var nearDuplicates: NearDuplicates
        public init(incompleteTwins: Bool = true, nearDuplicates: NearDuplicates = .sameWebsite) {
            self.incompleteTwins = incompleteTwins
            self.nearDuplicates = nearDuplicates
        }
    }

    /// For each input key, the key it is looked up by: itself, another input key, or a known key.
    public private(set) var target: [String]
    /// For each input key, the position of its ``target`` among the input keys; -1 for a known key outside them.
    public private(set) var targetIndex: [Int]
    /// Input keys that joined another key, by the rule that joined them (a key joined by both counts once, for
    /// the rule applied last: incompleteTwin).
    public private(set) var saved: [Rule: Int] = [:]

    /// The shortest word a near-duplicate edit may touch.
    public static let nearDuplicateMinimumLength = 8

    /// - Parameters:
    ///   - keys: the job's distinct company keys (`name|domain|country`); other keys (persons) are left alone.
    ///   - rows: the number of rows of each key (same order).
    ///   - cities: more words that tell companies apart, besides the words of `keyCities`.
    ///   - keyCities: per key, the cities its rows name (folded words, as ``MatchKey/nameTokens(_:)`` gives them):
    ///     when an incomplete key has several compatible fuller keys, the one whose city agrees (when every other
    ///     names another city) is its twin.
    ///   - known: keys of answers outside the job with that name key (ledger, cache); called at most once a name.
    public init(keys: [String], rows: [Int], cities: Set<String> = [], keyCities: [[[String]]] = [],
                options: Options = Options(), known: (String) -> [String] = { _ in [] }) {
        self.init(keys: keys, parts: keys.map(CompanyKeyParts.init(key:)), rows: rows, cities: cities,
                  keyCities: keyCities, options: options, known: known)
    }

    /// `parts`: each key's ``CompanyKeyParts/init(key:)``, which the caller already has.
    init(keys: [String], parts: [CompanyKeyParts?], rows: [Int], cities: Set<String>, keyCities: [[[String]]],
         options: Options, known: (String) -> [String]) {
        self.target = keys
        self.targetIndex = Array(keys.indices)
        var parts = parts
        // The words of the job's cities (long enough for a near-duplicate edit) tell companies apart.
        var cities = cities
        for words in keyCities.joined() {
            for word in words where word.count >= Self.nearDuplicateMinimumLength - 1 { cities.insert(word) }
        }
        // 0. A legal form and a city of the job after it leave the name.
        var placeStripped = Set<Int>()
        if !keyCities.isEmpty {
            var places = Set<String>()
            for cities in keyCities { for city in cities where !city.isEmpty { places.insert(city.joined(separator: " ")) } }
            // Per name and country (as parts without a domain: no string is built for the lookup).
            var stripped: [CompanyKeyParts: String?] = [:]
            stripped.reserveCapacity(parts.count)
            for index in parts.indices {
                guard let name = parts[index]?.name, let country = parts[index]?.country else { continue }
                let nameAndCountry = CompanyKeyParts(name: name, domain: "", country: country)
                let shorter: String?
                if let known = stripped[nameAndCountry] {
                    shorter = known
                } else {
                    shorter = MatchKey.withoutPlace(name, places: places, country: country)
                    stripped[nameAndCountry] = .some(shorter)
                }
                if let shorter {
                    parts[index]!.name = shorter
                    placeStripped.insert(index)
                }
            }
        }
        // 1. Near-duplicate names → one canonical spelling.
        var canonical: [String: String] = [:]
        if options.nearDuplicates != .off {
            canonical = Self.nearDuplicateNames(parts: parts, rows: rows, cities: cities,
                                                requireSameWebsite: options.nearDuplicates == .sameWebsite)
        }
        // 2. Keys equal after that: the key with the most rows (the first on a tie) represents them.
        var groupKey = [CompanyKeyParts?](repeating: nil, count: keys.count)
        // Each key's group (numbered as first seen; -1: not a company key) and each group's best key: the parts are
        // hashed once per key.
        var groupNumbers: [CompanyKeyParts: Int] = [:]
        groupNumbers.reserveCapacity(keys.count)
        var groupOf = [Int](repeating: -1, count: keys.count)
        var best: [Int] = []
        // On a tie, a key whose name no rule changed represents the others.
        func rank(_ index: Int) -> (Int, Int) {
            (rows[index], placeStripped.contains(index) || canonical[parts[index]!.name] != nil ? 0 : 1)
        }
        for (index, part) in parts.enumerated() {
            guard var part else { continue }
            if !canonical.isEmpty { part.name = canonical[part.name] ?? part.name }
            groupKey[index] = part
            if let group = groupNumbers[part] {
                groupOf[index] = group
                if rank(index) > rank(best[group]) { best[group] = index }
            } else {
                groupNumbers[part] = best.count
                groupOf[index] = best.count
                best.append(index)
            }
        }
        var representative = Array(keys.indices)
        for index in keys.indices {
            guard groupOf[index] >= 0 else { continue }
            let root = best[groupOf[index]]
            guard root != index else { continue }
            representative[index] = root
            self.target[index] = keys[root]
            let byPlace = placeStripped.contains(index) || placeStripped.contains(root)
            self.saved[byPlace && canonical[parts[index]!.name] == nil ? .placeAfterLegalForm : .nearDuplicate, default: 0] += 1
        }
        guard options.incompleteTwins else { return }
        // Per key (after near-duplicates), its rows' cities; a key whose rows name more than one place (or too
        // many cities to tell) has none: it may hold rows of two companies, and no city picks its twin.
        var citiesOf: [CompanyKeyParts: [[String]]] = [:]
        citiesOf.reserveCapacity(best.count)
        var manyPlaces = Set<CompanyKeyParts>()
        if !keyCities.isEmpty {
            for index in keys.indices {
                guard let part = groupKey[index], !keyCities[index].isEmpty else { continue }
                citiesOf[part, default: []].append(contentsOf: keyCities[index])
            }
            for (part, cities) in citiesOf where !cities.allSatisfy({ Self.citiesAgree([cities[0]], [$0]) }) {
                manyPlaces.insert(part)
            }
        }
        // 3. Incomplete twins, per (canonical) name.
        var byName: [String: [Int]] = [:]
        byName.reserveCapacity(keys.count)
        for index in keys.indices where representative[index] == index {
            guard let part = groupKey[index] else { continue }
            byName[part.name, default: []].append(index)
        }
        for (name, members) in byName {
            let incomplete = members.filter { groupKey[$0]!.isIncomplete }
            guard !incomplete.isEmpty else { continue }
            // The group's keys, by their parts (job keys map to their own key string).
            var job: [CompanyKeyParts: String] = [:]
            for index in members { job[groupKey[index]!] = keys[index] }
            let fullJob = job.keys.filter { !$0.isIncomplete }
            var external: [CompanyKeyParts: String] = [:]
            var askedKnown = false
            func knownFull() -> [CompanyKeyParts: String] {
                if !askedKnown {
                    askedKnown = true
                    for key in known(name) {
                        guard let part = CompanyKeyParts(key: key), part.name == name, !part.isIncomplete else { continue }
                        if job[part] == nil { external[part] = key }
                    }
                }
                return external
            }
            /// The one candidate, or among several the one whose city agrees with the key's while every other
            /// names a city that does not.
            func pick(_ candidates: Set<CompanyKeyParts>, for part: CompanyKeyParts) -> CompanyKeyParts? {
                if candidates.count == 1 { return candidates.first }
                guard let mine = citiesOf[part], !mine.isEmpty, !manyPlaces.contains(part) else { return nil }
                var agreeing: [CompanyKeyParts] = []
                for candidate in candidates {
                    guard let theirs = citiesOf[candidate], !theirs.isEmpty else { return nil }
                    if Self.citiesAgree(mine, theirs) { agreeing.append(candidate) }
                }
                return agreeing.count == 1 ? agreeing[0] : nil
            }
            for index in incomplete {
                let part = groupKey[index]!
                var into: String?
                if part.domain.isEmpty && part.country.isEmpty {
                    // Name only: the job's maximal keys of this name must be one.
                    let maximal = Set(job.keys.filter { candidate in
                        if !candidate.isIncomplete { return true }
                        if candidate == part { return false }
                        if !candidate.domain.isEmpty { return !fullJob.contains { $0.domain == candidate.domain } }
                        return !fullJob.contains { $0.country == candidate.country }
                    })
                    if let only = pick(maximal, for: part) { into = job[only] }
                } else {
                    // The job's own fuller keys decide; answers outside the job are asked only when it has none.
                    var candidates = Set(fullJob.filter { part.accepts($0) })
                    if candidates.isEmpty {
                        for (candidate, _) in knownFull() where part.accepts(candidate) { candidates.insert(candidate) }
                    }
                    if let only = pick(candidates, for: part) { into = job[only] ?? external[only] }
                }
                guard let into, into != keys[index] else { continue }
                self.target[index] = into
                self.saved[.incompleteTwin, default: 0] += 1
            }
        }
        // Follow chains (a near-duplicate → its representative → that one's twin; name only → domain only → a
        // known full key): every key ends on a key that stays itself.
        var position: [String: Int] = [:]
        position.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() { position[key] = index }
        for index in keys.indices {
            var key = self.target[index]
            var steps = 0
            var at = position[key]
            while let next = at, self.target[next] != key, steps < 4 {
                key = self.target[next]
                at = position[key]
                steps += 1
            }
            self.target[index] = key
            self.targetIndex[index] = at ?? -1
        }
    }

    /// Whether two keys' cities name one place: a city of one equals one of the other, or its words are part of
    /// the other's ("Austin" and "Austin, TX").
    static func citiesAgree(_ a: [[String]], _ b: [[String]]) -> Bool {
        for x in a {
            for y in b {
                if x == y { return true }
                let (short, long) = x.count <= y.count ? (x, y) : (y, x)
                if !short.isEmpty, Set(short).isSubset(of: long) { return true }
            }
        }
        return false
    }

    // MARK: - Near-duplicate names

    /// Name → its canonical spelling, for names that have a near-duplicate with more rows.
    static func nearDuplicateNames(parts: [CompanyKeyParts?], rows: [Int], cities: Set<String>,
                                   requireSameWebsite: Bool = false) -> [String: String] {
        // Distinct names with their rows, first position and websites.
        var nameIndex: [String: Int] = [:]
        nameIndex.reserveCapacity(parts.count)
        var nameKeys: [String] = []
        var nameRows: [Int] = []
        var domains: [Set<String>] = []
        for (index, part) in parts.enumerated() {
            guard let part, !part.name.isEmpty else { continue }
            let number: Int
            if let known = nameIndex[part.name] {
                number = known
            } else {
                number = nameKeys.count
                nameIndex[part.name] = number
                nameKeys.append(part.name)
                nameRows.append(0)
                domains.append([])
            }
            nameRows[number] += rows[index]
            if !part.domain.isEmpty, domains[number].count < 8 { domains[number].insert(part.domain) }
        }
        guard nameKeys.count > 1, nameKeys.count <= 2_000_000 else { return [:] }
        // With only the same website as evidence, only names that share a website with another name can merge:
        // the others stay out of the index (most names of a job, so it costs next to nothing).
        var eligible: [Bool]
        if requireSameWebsite {
            eligible = [Bool](repeating: false, count: nameKeys.count)
            var byDomain: [String: Int] = [:]
            for (number, sites) in domains.enumerated() {
                for site in sites {
                    if let other = byDomain[site] {
                        if other != number {
                            eligible[other] = true
                            eligible[number] = true
                        }
                    } else {
                        byDomain[site] = number
                    }
                }
            }
            guard eligible.contains(true) else { return [:] }
        } else {
            eligible = [Bool](repeating: true, count: nameKeys.count)
        }
        // Words only of the names that can merge (only those are in blocks, and only blocks make candidates).
        let names: [[String]] = nameKeys.indices.map { number in
            eligible[number] ? nameKeys[number].split(separator: " ").map(String.init) : []
        }
        // Blocks: a name with one long word replaced by the word or one of its one-letter deletions. Two words at
        // one edit share such a variant (an insertion/deletion: the longer one's deletion is the shorter word; a
        // substitution or transposition: a deletion of each).
        var blocks: [Int: [Int32]] = [:]
        for (number, tokens) in names.enumerated() where eligible[number] {
            for position in tokens.indices {
                let word = Array(tokens[position].unicodeScalars)
                guard word.count >= Self.sharedWebsiteMinimumLength - 1, Self.mayDiffer(tokens[position], cities: [])
                else { continue }
                for deleted in -1..<word.count {
                    var hasher = Hasher()
                    hasher.combine(position)
                    for (other, token) in tokens.enumerated() where other != position { hasher.combine(token) }
                    hasher.combine(tokens.count)
                    for (at, scalar) in word.enumerated() where at != deleted { hasher.combine(scalar) }
                    blocks[hasher.finalize(), default: []].append(Int32(number))
                }
            }
        }
        let order = names.indices.sorted { nameRows[$0] != nameRows[$1] ? nameRows[$0] > nameRows[$1] : $0 < $1 }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, number) in order.enumerated() { rank[number] = position }
        var canonical: [String: String] = [:]
        var assigned = [Bool](repeating: false, count: names.count)
        // Candidates per name, from the blocks it is in.
        var neighbours: [Int: Set<Int32>] = [:]
        for (_, members) in blocks where members.count > 1 && members.count <= 64 {
            for member in members {
                for other in members where other != member { neighbours[Int(member), default: []].insert(other) }
            }
        }
        for number in order where !assigned[number] {
            assigned[number] = true
            guard let candidates = neighbours[number] else { continue }
            for candidate in candidates.map(Int.init).sorted(by: { rank[$0] < rank[$1] }) where !assigned[candidate] {
                let sharedWebsite = !domains[number].isDisjoint(with: domains[candidate])
                guard sharedWebsite || (!requireSameWebsite && (domains[number].isEmpty || domains[candidate].isEmpty)),
                    Self.nearDuplicates(names[number], names[candidate], cities: cities, sharedWebsite: sharedWebsite)
                else { continue }
                assigned[candidate] = true
                canonical[names[candidate].joined(separator: " ")] = names[number].joined(separator: " ")
            }
        }
        return canonical
    }

    /// The shortest word an edit may touch when the two spellings' rows name the same website: that is strong
    /// evidence of one company, so shorter words and every kind of edit qualify ("Hanssen Gruppeen", "Hüter").
    public static let sharedWebsiteMinimumLength = 5

    /// Whether two names (as words) differ in exactly one long word, by one edit, and that word may differ.
    static func nearDuplicates(_ a: [String], _ b: [String], cities: Set<String>, sharedWebsite: Bool = false) -> Bool {
        guard a.count == b.count, a != b else { return false }
        var differing: Int?
        for index in a.indices where a[index] != b[index] {
            if differing != nil { return false }
            differing = index
        }
        guard let index = differing else { return false }
        let (x, y) = (Array(a[index].unicodeScalars), Array(b[index].unicodeScalars))
        let minimum = sharedWebsite ? Self.sharedWebsiteMinimumLength : Self.nearDuplicateMinimumLength
        // One-word names are brands, which differ by one letter as often as they are misspelt (Informatica and
        // Informatika, Tranxition and Transition): only the same website makes them one.
        guard max(x.count, y.count) >= minimum, min(x.count, y.count) >= minimum - 1, a.count >= 2 || sharedWebsite,
            Self.mayDiffer(a[index], cities: sharedWebsite ? [] : cities),
            Self.mayDiffer(b[index], cities: sharedWebsite ? [] : cities),
            let edit = Self.edit(x, y)
        else { return false }
        return sharedWebsite || Self.isTypo(edit, longest: max(x.count, y.count), x: x, y: y)
    }

    /// A word that tells companies apart is never edited into another: digits, countries, the job's cities.
    static func mayDiffer(_ word: String, cities: Set<String>) -> Bool {
        !word.unicodeScalars.contains { $0.properties.numericType != nil } && !cities.contains(word)
            && !Countries.words.contains(word)
    }

    /// The one edit that turns one word into the other, if they are one edit apart.
    enum Edit: Equatable {
        /// Two neighbouring letters swapped ("electirc").
        case transposition
        /// One letter for another.
        case substitution(Unicode.Scalar, Unicode.Scalar)
        /// One letter more or less; `doubled`: it repeats a neighbour ("Handelsmaatschapij").
        case insertion(Unicode.Scalar, doubled: Bool)
    }

    static func edit(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Edit? {
        if x == y { return nil }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return .substitution(x[differences[0]], y[differences[0]]) }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                let i = differences[0]
                if x[i] == y[i + 1] && x[i + 1] == y[i] { return .transposition }
            }
            return nil
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return nil }
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        guard short[i...] == long[(i + 1)...] else { return nil }
        let letter = long[i]
        let doubled = (i > 0 && long[i - 1] == letter) || (i + 1 < long.count && long[i + 1] == letter)
        return .insertion(letter, doubled: doubled)
    }

    /// Whether an edit reads as a typo rather than another name. Names of people and places vary in their
    /// vowels (Andersen/Anderson, Christensen/Christiansen, Hamburg/Homburg) and in doubled letters
    /// (Carlsson/Carlson), and each spelling can be its own company: a vowel edit never merges, a doubled letter
    /// only in words of ten letters or more. Swapped neighbours and consonant slips are typos.
    static func isTypo(_ edit: Edit, longest: Int, x: [Unicode.Scalar], y: [Unicode.Scalar]) -> Bool {
        // A plural ("Service" / "Services") or another first letter ("Getworkers" / "Networkers") names another
        // company as often as not.
        if x.first != y.first { return false }
        if case .insertion("s", _) = edit, x.dropLast() == y[...] || y.dropLast() == x[...] { return false }
        switch edit {
        case .transposition: return true
        case .substitution(let a, let b): return !Self.isVowel(a) && !Self.isVowel(b)
        case .insertion(let letter, let doubled): return doubled ? longest >= 10 : !Self.isVowel(letter)
        }
    }

    static func isVowel(_ scalar: Unicode.Scalar) -> Bool {
        // Base letters of accented vowels too ("é", "ü", "ø"): decomposed, the first scalar decides.
        let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first ?? scalar
        return "aeiouyæøœåı".unicodeScalars.contains(base)
    }
}

/// A company match key's three parts: `name|domain|country`.
public struct CompanyKeyParts: Hashable, Sendable {
    public var name: String
    public var domain: String
    public var country: String

    public init(name: String, domain: String, country: String) {
        (self.name, self.domain, self.country) = (name, domain, country)
    }

    /// `nil` for keys that are not company keys (contacts' keys start with `p|` and have five parts).
    public init?(key: String) {
        if key.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: one byte is one `Character` (but "\r\n", which holds no "|"); exactly two separators.
            var key = key
            let parts = key.withUTF8 { bytes -> CompanyKeyParts? in
                guard let first = bytes.firstIndex(of: UInt8(ascii: "|")),
                    let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: "|")),
                    !bytes[(second + 1)...].contains(UInt8(ascii: "|"))
                else { return nil }
                func part(_ range: Range<Int>) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                return CompanyKeyParts(name: part(0..<first), domain: part((first + 1)..<second),
                                       country: part((second + 1)..<bytes.count))
            }
            guard let parts else { return nil }
            self = parts
            return
        }
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        self.init(name: String(parts[0]), domain: String(parts[1]), country: String(parts[2]))
    }

    /// ``init(key:)`` of ``key``: these parts, unless one holds a "|", or a non-ASCII character next to a
    /// separator might form one `Character` with it (a combining mark after it), which `init(key:)` would not
    /// split on.
    var readBack: CompanyKeyParts? {
        let ascii = { (byte: UInt8?) in (byte ?? 0) < 0x80 }
        guard ascii(self.name.utf8.last), ascii(self.domain.utf8.first), ascii(self.domain.utf8.last),
            ascii(self.country.utf8.first),
            !self.name.utf8.contains(UInt8(ascii: "|")), !self.domain.utf8.contains(UInt8(ascii: "|")),
            !self.country.utf8.contains(UInt8(ascii: "|"))
        else { return CompanyKeyParts(key: self.key) }
        return self
    }

    public var key: String { "\(self.name)|\(self.domain)|\(self.country)" }

    /// Without a website or without a country.
    public var isIncomplete: Bool { self.domain.isEmpty || self.country.isEmpty }

    /// Whether `fuller` has every field this key has, with the same value, and more.
    func accepts(_ fuller: CompanyKeyParts) -> Bool {
        fuller != self && fuller.name == self.name
            && (self.domain.isEmpty || self.domain == fuller.domain)
            && (self.country.isEmpty || self.country == fuller.country)
    }
}
