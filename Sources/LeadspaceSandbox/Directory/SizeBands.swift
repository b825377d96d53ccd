/// The employee and revenue bands Leadspace reports beside exact figures.
enum SizeBands {
    /// Employee bands with the relative share of companies in each; the last band is open-ended.
    static let employeeBands: [(range: ClosedRange<Int>, label: String, weight: Int)] = [
        (1...10, "1-10", 18),
        (11...50, "11-50", 30),
        (51...200, "51-200", 25),
        (201...500, "201-500", 12),
        (501...1_000, "501-1000", 6),
        (1_001...5_000, "1001-5000", 6),
        (5_001...10_000, "5001-10000", 2),
        (10_001...150_000, "10001+", 1),
    ]

    /// Revenue bands: each is the label for revenue strictly below its bound.
    private static let revenueBands: [(below: Int, label: String)] = [
        (1_000_000, "$0-$1M"),
        (5_000_000, "$1M-$5M"),
        (10_000_000, "$5M-$10M"),
        (50_000_000, "$10M-$50M"),
        (100_000_000, "$50M-$100M"),
        (250_000_000, "$100M-$250M"),
        (500_000_000, "$250M-$500M"),
        (1_000_000_000, "$500M-$1B"),
        (10_000_000_000, "$1B-$10B"),
    ]

    static func employeeRange(for count: Int) -> String {
        for band in Self.employeeBands where band.range.contains(count) {
            return band.label
        }
        return "10001+"
    }

    static func revenueRange(for revenue: Int) -> String {
        for band in Self.revenueBands where revenue < band.below {
            return band.label
        }
        return "$10B+"
    }
}
