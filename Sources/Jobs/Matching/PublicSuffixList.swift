import Formats
import Foundation

/// The Public Suffix List (https://publicsuffix.org), as Debian's `publicsuffix` package installs it, read once
/// when a match key first needs it: registrable domains are "one label under a public suffix" (`shop.acme.co.uk`
/// → `acme.co.uk`, `x.city.kawasaki.jp` → `city.kawasaki.jp`, `acme.github.io` stays itself).
///
/// When the file is missing (a system without the package) the list falls back to a small built-in table of the
/// multi-part suffixes company websites use most, plus the list's default rule (the last label is a suffix):
/// keys are then coarser for rare suffixes, never an error. ``source`` says which one is in use.
public struct PublicSuffixList: Sendable {
    /// Where Debian's `publicsuffix` package puts the list.
    public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// The list used for match keys: the system's, or the built-in fallback.
    public static let shared: PublicSuffixList = PublicSuffixList(path: Self.systemPath) ?? .builtIn

    /// Normal rules (`co.uk`), wildcard rules without their `*.` (`ck` for `*.ck`), exceptions without their `!`.
    private let rules: Set<String>
    private let wildcards: Set<String>
    private let exceptions: Set<String>
    /// The file the list was read from, or "built-in" (logged by the daemon at start).
    public let source: String
    public var ruleCount: Int { self.rules.count + self.wildcards.count + self.exceptions.count }

    /// Parses the list's format: one rule a line, `//` comments, blank lines; a rule ends at the first
    /// whitespace. Lower-cased (the file's rules already are; hosts are lower-cased before lookup).
    public init(text: String, source: String) {
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
        (self.rules, self.wildcards, self.exceptions, self.source) = (rules, wildcards, exceptions, source)
    }

    /// The list at `path`; `nil` when it cannot be read or holds no rules.
    public init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        self.init(text: String(decoding: data, as: UTF8.self), source: path)
        if self.rules.isEmpty { return nil }
    }

    /// The fallback when the system has no list: the multi-part suffixes seen most in company websites.
    public static let builtIn = PublicSuffixList(text: """
        co.uk org.uk ac.uk gov.uk ltd.uk plc.uk me.uk com.au net.au org.au edu.au co.jp ne.jp or.jp co.nz org.nz
        com.br net.br com.mx co.za com.cn net.cn com.sg com.hk co.in net.in co.kr com.tr co.il com.ar com.co com.pe
        com.my co.id com.ph co.th com.tw com.vn com.ng co.ke com.eg com.sa com.pk co.at or.at com.pl com.es com.pt
        com.gr com.ua com.ru
        """.split(whereSeparator: \.isWhitespace).joined(separator: "\n"),
        source: "built-in")

    /// The registrable domain of a lower-case host: its public suffix and one label more. A host that is a
    /// public suffix itself, or a single label, is returned as it is.
    public func registrableDomain(_ host: String) -> String {
        // The label boundaries, then each candidate suffix as a slice of the host (no array of labels, no joins:
        // suffixes of 15 bytes or less are small strings, built without allocating).
        var starts = [host.startIndex]
        var index = host.startIndex
        while let dot = host[index...].firstIndex(of: ".") {
            index = host.index(after: dot)
            starts.append(index)
        }
        let labels = starts.count
        guard labels >= 2, !host.hasSuffix("."), !host.hasPrefix("."), !host.contains("..") else { return host }
        // The suffix starts at the first (longest) label position a rule matches; exceptions win over rules.
        for start in 0..<labels {
            let candidate = String(host[starts[start]...])
            if self.exceptions.contains(candidate) {
                // "!city.kawasaki.jp": the suffix is kawasaki.jp, so city.kawasaki.jp is registrable.
                return candidate
            }
            let wildcard = start + 1 < labels && self.wildcards.contains(String(host[starts[start + 1]...]))
            if self.rules.contains(candidate) || wildcard {
                return start == 0 ? host : String(host[starts[start - 1]...])
            }
        }
        // The default rule "*": the last label is the suffix.
        return String(host[starts[labels - 2]...])
    }
}
