import Formats

extension String {
    /// The string without leading and trailing whitespace and newlines. The common case — nothing to trim — costs
    /// two byte comparisons and no allocation (Foundation's trimming bridges every call); per-row fields go through
    /// here millions of times.
    var trimmed: String {
        guard let first = self.utf8.first, let last = self.utf8.last else { return self }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return self }
        return String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
