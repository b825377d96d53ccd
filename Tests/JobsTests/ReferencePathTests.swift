import Foundation
import SplitMix
import Testing

@testable import Jobs

/// The shortcuts taken for speed (byte paths, work skipped when it cannot change the result) must give exactly
/// what the plain `Character` code they replaced gives: each is checked here against that code, kept as the
/// reference, on the reference data itself (the legal-form table, iso-codes' names, the Public Suffix List) and
/// on random text built to hit the edge cases (combining marks next to separators, Unicode line breaks).
struct ReferencePathTests {
    // MARK: Reference code (as it was before the shortcuts)

    enum Reference {
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

        static func nameTokens(_ value: String) -> [String] {
            Self.joinInitials(MatchKey.isASCII(value) ? MatchKey.asciiNameTokens(value) : Self.unicodeNameTokens(value))
        }

        static func isoFold(_ name: String) -> String {
            MatchKey.unicodeFold(name).replacingOccurrences(of: ".", with: "")
        }

        static func trimmed(_ value: String) -> String {
            guard let first = value.utf8.first, let last = value.utf8.last else { return value }
            if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return value }
            return String(value.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }

        static func keyParts(_ key: String) -> [String]? {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            return parts.count == 3 ? parts.map(String.init) : nil
        }

        /// The suffix list's rules, wildcards and exceptions as `PublicSuffixList(text:)` read them.
        static func suffixRules(_ text: String) -> (Set<String>, Set<String>, Set<String>) {
            var rules = Set<String>()
            var wildcards = Set<String>()
            var exceptions = Set<String>()
            for line in text.split(whereSeparator: \.isNewline) {
                guard let rule = line.split(whereSeparator: \.isWhitespace).first, !rule.hasPrefix("//") else { continue }
                let lowered = rule.lowercased()
                if lowered.hasPrefix("!") {
                    exceptions.insert(String(lowered.dropFirst()))
                } else if lowered.hasPrefix("*.") {
                    wildcards.insert(String(lowered.dropFirst(2)))
                } else {
                    rules.insert(lowered)
                }
            }
            return (rules, wildcards, exceptions)
        }

        static func withoutPlace(_ nameKey: String, places: Set<String>, country: String) -> String? {
            var tokens = nameKey.split(separator: " ").map(String.init)
            for tail in 1...3 where tokens.count - tail >= 2 {
                let end = tokens.count - tail
                guard places.contains(tokens[end...].joined(separator: " ")),
                    let start = LegalForms.longestForm(endingAt: end, in: tokens, country: country), start >= 1,
                    LegalForms.isDistinctive(tokens[start..<end])
                else { continue }
                tokens.removeLast(tokens.count - start)
                while tokens.count > 1,
                    let start = LegalForms.longestForm(endingAt: tokens.count, in: tokens, country: country), start >= 1
                {
                    tokens.removeLast(tokens.count - start)
                }
                return tokens.joined(separator: " ")
            }
            return nil
        }
    }

    // MARK: Corpus

    /// Text the edge cases live in: separators next to combining marks, Unicode spaces and line breaks,
    /// ampersands, dots, full-width forms.
    static func randomText(_ generator: inout SplitMix64) -> String {
        let alphabet: [String] = [
            "a", "B", "z", "0", "7", " ", "  ", ".", "..", "&", "|", "-", "/", "\t", "\n", "\r", "\r\n", "\u{0B}",
            "\u{1C}", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\u{301}", "\u{345}", "\u{93F}", "\u{D4E}",
            "\u{200D}", "é", "ü", "ß", "ø", "Å", "ﬁ", "Ｔ", "＆", "．", "ı", "İ", "ǅ", "ⅷ", "²", "म", "中", "ê",
            "co", "uk", "gmbh", "sa", "s", "www", "com", "https://", "@",
        ]
        let length = Int(generator.next() % 12)
        return (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
    }

    static let legalForms: [String] = LegalFormTable.lines.split(separator: "\n").compactMap { line in
        line.firstIndex(of: "\t").map { String(line[line.index(after: $0)...]) }
    }

    static func isoNames() -> [String] {
        var names: [String] = []
        if let data = FileManager.default.contents(atPath: IsoCodes.jsonPath),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = root["3166-1"] as? [[String: String]]
        {
            for entry in entries { names.append(contentsOf: entry.values) }
        }
        for language in IsoCodes.languages {
            let path = "/usr/share/locale/\(language)/LC_MESSAGES/iso_3166-1.mo"
            guard let catalog = FileManager.default.contents(atPath: path) else { continue }
            for (original, translated) in IsoCodes.messages([UInt8](catalog)) { names += [original, translated] }
        }
        return names
    }

    static let corpus: [String] = {
        var generator = SplitMix64(seed: 0x0DD5)
        return ASCIIPathTests.corpus + Self.legalForms + Self.isoNames() + LegalForms.supplementary
            + Array(Placeholders.phrases) + (0..<20_000).map { _ in Self.randomText(&generator) }
    }()

    // MARK: Tests

    @Test func nameTokensAndKeysEqualTheReference() {
        for input in Self.corpus {
            let tokens = MatchKey.nameTokens(input)
            #expect(tokens == Reference.nameTokens(input), "\(input.debugDescription)")
            #expect(MatchKey.joinInitials(tokens) == Reference.joinInitials(tokens), "\(input.debugDescription)")
            #expect(MatchKey.isPlaceholder(tokens: tokens) == MatchKey.isPlaceholder(input))
        }
    }

    @Test func latinNameTokensEqualTheReferenceForEveryScalarBelowU0180AloneAndInPairs() {
        // Lower-casing maps scalar by scalar: pairs show no scalar's mapping depends on its neighbour.
        let scalars = (0..<UInt32(0x180)).map { String(Unicode.Scalar($0)!) }
        for first in scalars {
            for second in [""] + scalars {
                let text = first + second
                guard MatchKey.isCompatibilityComposed(text) else { continue }
                // Scalars compared, not strings (`==` on strings is canonical equivalence).
                #expect(MatchKey.latinNameTokens(text).map { Array($0.unicodeScalars) }
                    == Reference.unicodeNameTokens(text).map { Array($0.unicodeScalars) }, "\(text.debugDescription)")
            }
        }
    }

    @Test func latinFoldEqualsTheUnicodeFoldForEveryScalarBelowU0180AloneAndInPairs() {
        let scalars = (0..<UInt32(0x180)).map { String(Unicode.Scalar($0)!) }
        for first in scalars {
            for second in [""] + scalars {
                let text = first + second
                guard MatchKey.isCompatibilityComposed(text) else { continue }
                #expect(Array(MatchKey.latinFold(text).unicodeScalars) == Array(MatchKey.unicodeFold(text).unicodeScalars),
                        "\(text.debugDescription)")
            }
        }
        for input in Self.corpus where MatchKey.isCompatibilityComposed(input) {
            #expect(Array(MatchKey.latinFold(input).unicodeScalars) == Array(MatchKey.unicodeFold(input).unicodeScalars),
                    "\(input.debugDescription)")
            #expect(MatchKey.latinNameTokens(input).map { Array($0.unicodeScalars) }
                == Reference.unicodeNameTokens(input).map { Array($0.unicodeScalars) }, "\(input.debugDescription)")
        }
    }

    @Test func countryNamesFoldAsTheReference() {
        for input in Self.corpus { #expect(IsoCodes.fold(input) == Reference.isoFold(input), "\(input.debugDescription)") }
        #expect(Countries.words == Set(Countries.byName.keys.flatMap { $0.split(separator: " ").map(String.init) }))
    }

    @Test func theLegalFormTableSplitsAsTheReference() {
        #expect(LegalForms.tableLines() == LegalFormTable.lines.split(separator: "\n"))
    }

    @Test func trimmingEqualsTheReference() {
        var generator = SplitMix64(seed: 0x7217)
        let inputs = Self.corpus + (0..<5_000).map { _ in
            [" ", "\t", "\r\n", "\n", "\u{A0}", ""][Int(generator.next() % 6)] + Self.randomText(&generator)
                + [" ", "\t", "\r\n", "\u{85}", "", " \u{301}"][Int(generator.next() % 6)]
        }
        for input in inputs { #expect(input.trimmed == Reference.trimmed(input), "\(input.debugDescription)") }
    }

    @Test func keyPartsReadBackAsTheReference() {
        var generator = SplitMix64(seed: 0x4E75)
        for _ in 0..<20_000 {
            let parts = CompanyKeyParts(name: Self.randomText(&generator), domain: Self.randomText(&generator),
                                        country: Self.randomText(&generator))
            let reference = Reference.keyParts(parts.key)
            let parsed = CompanyKeyParts(key: parts.key)
            #expect(parsed.map { [$0.name, $0.domain, $0.country] } == reference, "\(parts.key.debugDescription)")
            #expect(parts.readBack == parsed, "\(parts.key.debugDescription)")
        }
    }

    @Test func placesAreStrippedAsTheReference() {
        let places: Set<String> = ["utrecht", "new york", "rio de janeiro", "a", "é", "co", "z0"]
        var generator = SplitMix64(seed: 0x9AC3)
        var inputs = ["brouwerij alfa bv utrecht", "acme gmbh new york", "acme sa rio de janeiro", "x bv  utrecht",
                      " acme bv utrecht", "acme bv utrecht ", "bv utrecht", "acme bv é", "acme bv \u{301}utrecht"]
        for _ in 0..<20_000 {
            let words = (0..<Int(generator.next() % 6)).map { _ in
                ["acme", "bv", "gmbh", "sa", "utrecht", "new", "york", "a", "é", "co", "\u{301}", "", "z0"][
                    Int(generator.next() % 13)]
            }
            inputs.append(words.joined(separator: generator.next() % 8 == 0 ? "  " : " "))
        }
        for input in inputs {
            for country in ["", "NL", "US"] {
                #expect(MatchKey.withoutPlace(input, places: places, country: country)
                        == Reference.withoutPlace(input, places: places, country: country), "\(input.debugDescription)")
            }
        }
    }

    @Test func suffixRulesAndDomainsEqualTheReference() throws {
        let text = try String(contentsOfFile: PublicSuffixList.systemPath, encoding: .utf8)
        var generator = SplitMix64(seed: 0x5F1C)
        let edgeCases = "// x\n  co.uk  extra\r\nCOM.AU\u{85}net.au\u{2028}org.au\tx\n*.ck\n!www.ck\n\u{301}x.jp\n"
            + (0..<2_000).map { _ in Self.randomText(&generator) }.joined(separator: "\n")
        for sample in [text, edgeCases, text + "\r\n" + edgeCases] {
            let list = PublicSuffixList(text: sample, source: "test")
            let (rules, wildcards, exceptions) = Reference.suffixRules(sample)
            #expect(list.rules == rules)
            #expect(list.wildcards == wildcards)
            #expect(list.exceptions == exceptions)
        }
        // Every rule under one and two more labels, and random hosts: both paths agree on ASCII hosts.
        let list = PublicSuffixList.shared
        var hosts = Array(list.rules.prefix(3_000)) + Array(list.wildcards) + Array(list.exceptions)
        hosts += hosts.flatMap { ["acme.\($0)", "shop.acme.\($0)"] }
        hosts += (0..<20_000).map { _ in
            String(Self.randomText(&generator).unicodeScalars.filter { $0.isASCII }).lowercased()
        }
        hosts += ["", ".", "..", "a..b.com", ".acme.com", "acme.com.", "com", "acme.com", "\r\n.com", "a.\r\n"]
        for host in hosts where host.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(list.registrableDomain(host) == list.unicodeRegistrableDomain(host), "\(host.debugDescription)")
        }
    }
}
