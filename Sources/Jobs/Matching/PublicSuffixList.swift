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
    let rules: Set<String>
    let wildcards: Set<String>
    let exceptions: Set<String>
    /// The file the list was read from, or "built-in" (logged by the daemon at start).
    public let source: String
    public var ruleCount: Int { self.rules.count + self.wildcards.count + self.exceptions.count }

    /// Parses the list's format: one rule a line, `//` comments, blank lines; a rule ends at the first
    /// whitespace. Lower-cased (the file's rules already are; hosts are lower-cased before lookup).
    public init(text: String, source: String) {
        var text = text
        self = text.withUTF8 { Self(bytes: $0, source: source) }
    }

    /// ``init(text:source:)`` on the text's UTF-8 bytes. Lines are split on the ASCII line breaks (a line feed,
    /// carriage return, vertical tab or form feed is always a `Character` of its own, or with its pair in "\r\n");
    /// an ASCII line (nearly all of the list) is read byte by byte, another as `Character`s, which also splits it
    /// on the Unicode line breaks (NEL, U+2028, U+2029) and whitespace.
    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        var rules = Set<String>()
        var wildcards = Set<String>()
        var exceptions = Set<String>()
        func insert(_ lowered: String) {
            if lowered.hasPrefix("!") {
                exceptions.insert(String(lowered.dropFirst()))
            } else if lowered.hasPrefix("*.") {
                wildcards.insert(String(lowered.dropFirst(2)))
            } else {
                rules.insert(lowered)
            }
        }
        var lineStart = 0
        var position = 0
        while position <= bytes.count {
            guard position == bytes.count || (bytes[position] >= 0x0A && bytes[position] <= 0x0D) else {
                position += 1
                continue
            }
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<position])
            position += 1
            lineStart = position
            if line.allSatisfy({ $0 < 0x80 }) {
                // The first run of non-whitespace bytes, unless it is a comment.
                guard let start = line.firstIndex(where: { !MatchKey.isASCIIWhitespace($0) }) else { continue }
                let end = line[start...].firstIndex(where: MatchKey.isASCIIWhitespace) ?? line.endIndex
                let rule = line[start..<end]
                if rule.count >= 2, rule[start] == UInt8(ascii: "/"), rule[start + 1] == UInt8(ascii: "/") { continue }
                insert(String(decoding: rule.lazy.map(MatchKey.asciiLower), as: UTF8.self))
            } else {
                for part in String(decoding: line, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    guard let rule = part.split(whereSeparator: \.isWhitespace).first, !rule.hasPrefix("//") else {
                        continue
                    }
                    insert(rule.lowercased())
                }
            }
        }
        (self.rules, self.wildcards, self.exceptions, self.source) = (rules, wildcards, exceptions, source)
    }

    /// The list at `path`; `nil` when it cannot be read or holds no rules.
    public init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        self = data.withUnsafeBytes { Self(bytes: $0.bindMemory(to: UInt8.self), source: path) }
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
        var host = host
        if let domain = host.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? self.asciiRegistrableDomain($0) : nil }) {
            return domain.isEmpty ? host : domain
        }
        return self.unicodeRegistrableDomain(host)
    }

    /// ``registrableDomain(_:)`` of an ASCII host, on its bytes: the same labels and candidates as the `Character`
    /// path (for ASCII, one byte is one `Character`, but for "\r\n", which holds no dot); "" when the host is
    /// returned as it is.
    func asciiRegistrableDomain(_ host: UnsafeBufferPointer<UInt8>) -> String {
        let dot = UInt8(ascii: ".")
        guard let first = host.first, first != dot, host.last != dot else { return "" }
        var starts: [Int] = [0]
        for index in host.indices where host[index] == dot {
            if host[index + 1] == dot { return "" }
            starts.append(index + 1)
        }
        let labels = starts.count
        guard labels >= 2 else { return "" }
        func suffix(_ label: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: host[starts[label]...]), as: UTF8.self)
        }
        // Each suffix is built once: the wildcard check's shorter suffix is the next candidate.
        var candidate = suffix(0)
        for start in 0..<labels {
            if self.exceptions.contains(candidate) { return candidate }
            let shorter = start + 1 < labels ? suffix(start + 1) : nil
            let wildcard = shorter.map { self.wildcards.contains($0) } ?? false
            if self.rules.contains(candidate) || wildcard {
                return start == 0 ? "" : suffix(start - 1)
            }
            guard let shorter else { break }
            candidate = shorter
        }
        return suffix(labels - 2)
    }

    /// ``registrableDomain(_:)`` by `Character`s (hosts with non-ASCII text, where a combining mark after a dot
    /// makes it no label boundary).
    func unicodeRegistrableDomain(_ host: String) -> String {
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
