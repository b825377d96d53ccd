/// How sure the provider is that the company it returns is the one asked about (`matching_confidence.level`).
public enum MatchConfidence: String, Sendable, Comparable, CaseIterable {
    case veryLow = "VERY LOW"
    case low = "LOW"
    case medium = "MEDIUM"
    case high = "HIGH"

    private var rank: Int {
        switch self {
        case .veryLow: return 0
        case .low: return 1
        case .medium: return 2
        case .high: return 3
        }
    }

    public static func < (lhs: MatchConfidence, rhs: MatchConfidence) -> Bool {
        lhs.rank < rhs.rank
    }
}
