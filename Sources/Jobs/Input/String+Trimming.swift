import Formats

extension String {
    /// The string without leading and trailing whitespace and newlines. The common case — nothing to trim — costs
    /// two byte comparisons and no allocation (Foundation's trimming bridges every call); per-row fields go through
    /// here millions of times.
    var trimmed: String {
        guard let first = self.utf8.first, let last = self.utf8.last else { return self }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return self }
        // ASCII whitespace at the ends with ASCII inside it: trimmed on the bytes (an ASCII whitespace byte is a
        // `Character` of its own, or "\r\n", and never joins the ASCII character next to it).
        let utf8 = self.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        while start < end, isWhitespace(utf8[start]) { start = utf8.index(after: start) }
        while start < end, isWhitespace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        if start == end { return "" }
        if utf8[start] < 0x80 && utf8[utf8.index(before: end)] < 0x80 { return String(self[start..<end]) }
        return String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
