/// Reduces a company name to the key a provider matches on: "ACME, Inc." and "Acme Incorporated" both become
/// "acme".
///
/// Steps: fold case and accents, turn "&" into "and", split on anything that is not a letter or digit, glue
/// runs of single letters back together ("S.p.A." → "spa", "A/S" → "as"), then drop legal forms from the end.
public enum NameNormalizer {
    /// Returns the normalized name, or an empty string when nothing but punctuation or legal forms is left.
    public static func normalize(_ name: String) -> String {
        Self.tokens(name).joined(separator: " ")
    }

    /// The normalized name as words.
    public static func tokens(_ name: String) -> [String] {
        var tokens = TextFolding.words(name, ampersandAsWord: true)
        tokens = Self.joiningInitials(tokens)
        while tokens.count > 1, let last = tokens.last, Self.legalForms.contains(last) || last == "and" {
            tokens.removeLast()
        }
        if tokens.count == 1, Self.legalForms.contains(tokens[0]) {
            return []
        }
        return tokens
    }

    /// Legal-form words in their normalized spelling, stripped from the end of a name.
    static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "llp", "lp", "corp", "corporation", "co", "company", "ltd", "limited", "plc",
        "gmbh", "ag", "aktiengesellschaft", "kg", "ohg", "sa", "sas", "sarl", "sau", "bv", "nv", "ab", "aktiebolag",
        "oy", "oyj", "as", "asa", "aps", "spa", "srl", "sl", "pty", "kk", "kabushiki", "kaisha", "dac", "ltda",
    ]

    /// Joins consecutive one-letter words: abbreviations written with dots or slashes.
    private static func joiningInitials(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var run = ""
        var runLength = 0
        func flushRun() {
            if runLength > 0 {
                result.append(run)
            }
            run = ""
            runLength = 0
        }
        for token in tokens {
            if token.unicodeScalars.count == 1 && token != "and" {
                run += token
                runLength += 1
            } else {
                flushRun()
                result.append(token)
            }
        }
        flushRun()
        return result
    }
}

extension NameNormalizer {
    /// The key two spellings of one person's name share: folded first and last name words, space separated.
    public static func personKey(_ firstName: String, _ lastName: String) -> String {
        (TextFolding.words(firstName) + TextFolding.words(lastName)).joined(separator: " ")
    }
}
