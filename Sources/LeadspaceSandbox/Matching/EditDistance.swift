/// Edit-distance helpers for the typo rule.
enum EditDistance {
    /// True when one insertion, deletion or substitution (or none) turns `a` into `b`.
    static func isAtMostOne(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        guard longer.count - shorter.count <= 1 else {
            return false
        }
        var i = 0
        var j = 0
        var edits = 0
        while i < shorter.count && j < longer.count {
            if shorter[i] == longer[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 {
                return false
            }
            if shorter.count == longer.count {
                i += 1
            }
            j += 1
        }
        return edits + (longer.count - j) + (shorter.count - i) <= 1
    }

    /// Every distinct string made by deleting one scalar, in position order.
    ///
    /// Deleting either letter of a run ("ll") gives the same string, so only the first of a run is deleted.
    static func deletions(_ text: String) -> [String] {
        var text = text
        if let ascii = text.withUTF8({ Self.asciiDeletions($0) }) {
            return ascii
        }
        let scalars = Array(text.unicodeScalars)
        var result: [String] = []
        result.reserveCapacity(scalars.count)
        for index in scalars.indices where index == 0 || scalars[index] != scalars[index - 1] {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<index])
            view.append(contentsOf: scalars[(index + 1)...])
            result.append(String(view))
        }
        return result
    }

    /// The byte-wise fast path for ASCII text (every normalized directory name in practice); nil otherwise.
    private static func asciiDeletions(_ utf8: UnsafeBufferPointer<UInt8>) -> [String]? {
        var result: [String] = []
        result.reserveCapacity(utf8.count)
        var buffer = [UInt8](repeating: 0, count: max(0, utf8.count - 1))
        for index in 0..<utf8.count {
            if utf8[index] >= 0x80 {
                return nil
            }
            if index > 0 && utf8[index] == utf8[index - 1] {
                continue
            }
            var target = 0
            for source in 0..<utf8.count where source != index {
                buffer[target] = utf8[source]
                target += 1
            }
            result.append(String(decoding: buffer, as: UTF8.self))
        }
        return result
    }
}
