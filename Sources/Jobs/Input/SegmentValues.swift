import Foundation

/// The values a segment's column is compared with, and what the rows held: a value matches when it is equal
/// once both sides are trimmed of whitespace, put in Unicode canonical composition (NFC) and case-folded
/// (Unicode full case folding: `EMEA` = `emea`, `Straße` = `STRASSE`).
///
/// Counts the rows each listed value selected, so a job can warn about a value that never occurs or a segment
/// that selects nothing.
struct SegmentValues {
    /// The column, as the descriptor names it.
    let column: String
    /// The listed values as written, and their comparison forms.
    let listed: [String]
    private let index: [String: Int]
    /// Rows each listed value selected.
    private(set) var matches: [Int]
    /// A few values of the column that matched nothing listed, for the warning when nothing matched.
    private(set) var others: [String] = []
    /// Raw column value → listed value (-1: none); a segment column holds few distinct values.
    private var memo: [String: Int] = [:]
    private static let memoLimit = 4_096
    private static let othersKept = 5

    init(column: String, values: [String]) {
        self.column = column
        self.listed = values
        var index: [String: Int] = [:]
        for (position, value) in values.enumerated() where index[Self.comparable(value)] == nil {
            index[Self.comparable(value)] = position
        }
        self.index = index
        self.matches = [Int](repeating: 0, count: values.count)
    }

    /// How values are compared: trimmed, NFC, case-folded.
    static func comparable(_ value: String) -> String {
        value.trimmed.precomposedStringWithCanonicalMapping.folding(options: [.caseInsensitive], locale: nil)
    }

    /// Whether a row whose column holds `value` is in the segment.
    mutating func contains(_ value: String) -> Bool {
        let position: Int
        if let remembered = self.memo[value] {
            position = remembered
        } else {
            position = self.index[Self.comparable(value)] ?? -1
            if self.memo.count < Self.memoLimit { self.memo[value] = position }
            let trimmed = value.trimmed
            if position < 0, self.others.count < Self.othersKept, !trimmed.isEmpty, !self.others.contains(trimmed) {
                self.others.append(trimmed)
            }
        }
        guard position >= 0 else { return false }
        self.matches[position] += 1
        return true
    }

    /// What to warn about once every row was read: each listed value no row held (when others matched), or the
    /// segment selecting nothing.
    var warnings: [String] {
        let quoted = { (value: String) in "\"\(value)\"" }
        guard self.matches.contains(where: { $0 > 0 }) else {
            let seen = self.others.isEmpty ? "the column is empty in every row"
                : "the column holds values such as \(self.others.map(quoted).joined(separator: ", "))"
            return ["the segment selects no customer: no row's \"\(self.column)\" is "
                    + "\(self.listed.map(quoted).joined(separator: " or ")) (\(seen))"]
        }
        return self.listed.indices.filter { self.matches[$0] == 0 && self.index[Self.comparable(self.listed[$0])] == $0 }
            .map { "segment value \(quoted(self.listed[$0])) occurs in no row's \"\(self.column)\"" }
    }
}
