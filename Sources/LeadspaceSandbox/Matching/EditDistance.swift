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

    /// Every string made by deleting one scalar, in position order (duplicates kept; callers dedupe if needed).
    static func deletions(_ scalars: [Unicode.Scalar]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(scalars.count)
        for index in scalars.indices {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<index])
            view.append(contentsOf: scalars[(index + 1)...])
            result.append(String(view))
        }
        return result
    }
}
