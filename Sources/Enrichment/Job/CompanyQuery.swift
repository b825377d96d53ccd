/// What one customer row (for one address kind) asks Leadspace: the user's original values.
public struct CompanyQuery: Sendable, Equatable, Codable {
    public var name: String
    public var website: String?
    public var country: String?
    public var state: String?
    public var city: String?
    public var street: String?
    public var postalCode: String?

    public init(name: String, website: String? = nil, country: String? = nil, state: String? = nil,
                city: String? = nil, street: String? = nil, postalCode: String? = nil) {
        self.name = name
        self.website = website
        self.country = country
        self.state = state
        self.city = city
        self.street = street
        self.postalCode = postalCode
    }

    /// The key that decides which rows share one lookup. Rows with equal keys are looked up once.
    public var matchKey: String {
        let parts = [
            MatchKey.name(self.name), MatchKey.domain(self.website ?? ""), MatchKey.fold(self.country ?? ""),
            MatchKey.fold(self.state ?? ""), MatchKey.fold(self.city ?? ""), MatchKey.fold(self.street ?? ""),
            MatchKey.fold(self.postalCode ?? ""),
        ]
        return parts.joined(separator: "|")
    }
}

/// Normalization of identifying fields into match keys.
public enum MatchKey {
    /// Case-folded, whitespace collapsed.
    public static func fold(_ value: String) -> String {
        value.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A company name folded, punctuation dropped.
    public static func name(_ value: String) -> String {
        let folded = value.lowercased().unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil ? Character(scalar) : " "
        }
        return String(folded).split(separator: " ").joined(separator: " ")
    }

    /// A website reduced to its host without `www.`: scheme, port, path and query dropped.
    public static func domain(_ value: String) -> String {
        var host = value.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = host.range(of: "://") { host = String(host[range.upperBound...]) }
        if let end = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = String(host[..<end]) }
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }
}

import Foundation
