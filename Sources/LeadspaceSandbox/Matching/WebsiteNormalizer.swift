/// Reduces whatever a CRM holds in a website field to a lower-case host name.
///
/// "HTTPS://WWW.Acme.com:443/about?x=1" and "acme.com/" both become "acme.com".
public enum WebsiteNormalizer {
    /// Returns the host without scheme, credentials, `www.`, port, path, query or fragment; nil when none is left.
    public static func host(_ website: String) -> String? {
        var text = Substring(website.trimmingWhitespace().lowercased())
        if let scheme = text.firstRange(of: "://") {
            text = text[scheme.upperBound...]
        } else if text.hasPrefix("//") {
            text = text.dropFirst(2)
        }
        if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            text = text[..<end]
        }
        if let at = text.lastIndex(of: "@") {
            text = text[text.index(after: at)...]
        }
        if let colon = text.firstIndex(of: ":") {
            text = text[..<colon]
        }
        while text.hasSuffix(".") {
            text = text.dropLast()
        }
        while let prefix = ["www.", "www2.", "www3."].first(where: { text.hasPrefix($0) }) {
            text = text.dropFirst(prefix.count)
        }
        guard !text.isEmpty, text.contains("."), !text.contains(" ") else {
            return nil
        }
        return String(text)
    }

    /// The host and its parent domains down to the registrable one, most specific first:
    /// "shop.eu.acme.co.uk" → ["shop.eu.acme.co.uk", "eu.acme.co.uk", "acme.co.uk"].
    public static func candidateDomains(_ host: String) -> [String] {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else {
            return [host]
        }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        let minimum = Self.multiPartSuffixes.contains(lastTwo) ? 3 : 2
        var candidates: [String] = []
        var start = 0
        while labels.count - start >= minimum {
            candidates.append(labels[start...].joined(separator: "."))
            start += 1
        }
        return candidates.isEmpty ? [host] : candidates
    }

    /// Public suffixes with two labels the directory uses or a customer is likely to type.
    static let multiPartSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp", "or.jp", "co.nz",
        "com.br", "com.mx", "co.za", "com.sg", "com.cn", "co.in", "co.kr",
    ]
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, line breaks, no-break spaces).
    func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else {
            return ""
        }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
