import Foundation

/// Counts as people read them, the same in every output: `1,860` (thousands grouped, en-US, whatever the
/// machine's locale, so that logs, reports and the CLI agree).
public enum NumberText {
    private static let locale = Locale(identifier: "en_US")

    public static func grouped(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Self.locale))
    }

    /// A share in percent with one decimal: `93.0%`.
    public static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value)
    }

    /// A duration as the CLI shows ages and ETAs: `42s`, `5m`, `3h`, `2d` (whole units, rounded down).
    public static func age(seconds: Double) -> String {
        let seconds = Int(max(0, seconds.isFinite ? seconds : 0))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}
