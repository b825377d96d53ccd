/// Case and accent folding shared by the normalizers and by the generator's domain and e-mail making.
enum TextFolding {
    /// Appends the lower-case, accent-free form of `scalar` to `output` and returns true, or returns false when
    /// the scalar is neither a letter nor a digit (a separator for the caller).
    ///
    /// With `expandUmlauts`, "ä", "ö" and "ü" become "ae", "oe" and "ue", as German speakers write them when
    /// accents are not available; otherwise every accented letter becomes its base letter, which is what a
    /// matcher wants ("Müller" and "Muller" are the same name to a CRM user).
    static func appendFolded(_ scalar: Unicode.Scalar, to output: inout String, expandUmlauts: Bool = false) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            switch value {
            case 0x30...0x39, 0x61...0x7A:
                output.unicodeScalars.append(scalar)
                return true
            case 0x41...0x5A:
                output.unicodeScalars.append(Unicode.Scalar(value + 0x20)!)
                return true
            default:
                return false
            }
        }
        guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
            return false
        }
        for lower in scalar.properties.lowercaseMapping.unicodeScalars {
            if expandUmlauts, let expanded = Self.umlauts[lower] {
                output.append(expanded)
            } else if let base = Self.baseLetters[lower] {
                output.append(base)
            } else {
                output.unicodeScalars.append(lower)
            }
        }
        return true
    }

    /// Splits text into folded words: runs of letters and digits; apostrophes join ("O'Brien" → "obrien").
    /// With `ampersandAsWord`, "&" and "+" become the word "and" ("Carter & Hughes" = "Carter and Hughes").
    static func words(_ text: String, expandUmlauts: Bool = false, ampersandAsWord: Bool = false) -> [String] {
        var text = text
        if let words = text.withUTF8({ Self.asciiWords(utf8: $0, ampersandAsWord: ampersandAsWord) }) {
            return words
        }
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if Self.appendFolded(scalar, to: &current, expandUmlauts: expandUmlauts) {
                continue
            }
            if scalar == "'" || scalar == "\u{2019}" {
                continue
            }
            if !current.isEmpty {
                words.append(current)
                current = ""
            }
            if ampersandAsWord && (scalar == "&" || scalar == "+") {
                words.append("and")
            }
        }
        if !current.isEmpty {
            words.append(current)
        }
        return words
    }

    /// The all-ASCII fast path of ``words(_:expandUmlauts:ampersandAsWord:)``; nil when a byte is not ASCII.
    ///
    /// Directory generation and every lookup go through here, and tests run debug builds, where the general
    /// Unicode path costs several times more.
    private static func asciiWords(utf8: UnsafeBufferPointer<UInt8>, ampersandAsWord: Bool) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in utf8 {
            switch byte {
            case 0x30...0x39, 0x61...0x7A:
                current.append(byte)
            case 0x41...0x5A:
                current.append(byte + 0x20)
            case 0x27:
                continue
            case 0x80...:
                return nil
            default:
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                if ampersandAsWord && (byte == 0x26 || byte == 0x2B) {
                    words.append("and")
                }
            }
        }
        if !current.isEmpty {
            words.append(String(decoding: current, as: UTF8.self))
        }
        return words
    }

    /// Lower-case ASCII letters and digits only, for domains, e-mail local parts and URL slugs.
    static func asciiWords(_ text: String, expandUmlauts: Bool) -> [String] {
        let words = Self.words(text, expandUmlauts: expandUmlauts)
        guard words.contains(where: { !$0.utf8.allSatisfy { $0 < 0x80 } }) else {
            return words
        }
        return words.map { word in
            String(String.UnicodeScalarView(word.unicodeScalars.filter { $0.isASCII }))
        }.filter { !$0.isEmpty }
    }

    private static let umlauts: [Unicode.Scalar: String] = ["ä": "ae", "ö": "oe", "ü": "ue"]

    private static let baseLetters: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("æ", "ae"), ("çćčĉ", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"),
            ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"),
            ("òóôõöøōŏő", "o"), ("œ", "oe"), ("ŕŗř", "r"), ("śŝşš", "s"), ("ß", "ss"), ("ţťŧ", "t"),
            ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"), ("þ", "th"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars {
                table[scalar] = base
            }
        }
        return table
    }()
}
