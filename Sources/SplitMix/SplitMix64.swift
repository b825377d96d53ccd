/// A small, fast pseudo-random generator whose output is identical on every machine and toolchain.
///
/// The sandbox derives everything from a seed: the directory, the sample files and the fault draws. Swift's own
/// `random(in:using:)` and `shuffle(using:)` are free to change their algorithms between releases, so the helpers
/// below never call them; they only use `next()` and integer arithmetic that is fixed by this file.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// Creates an independent stream for one named purpose, so adding draws to one stream never shifts another.
    public init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        let first = mixer.next()
        var second = SplitMix64(seed: first ^ (index &* 0xD1B5_4A32_D192_ED03))
        self.state = second.next()
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns an integer in `0..<bound` (Lemire's multiply-shift; the bias is far below anything observable here).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let product = self.next().multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }

    /// Returns an integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + self.int(below: range.upperBound - range.lowerBound + 1)
    }

    /// Returns a double in `0..<1` built from the top 53 bits.
    public mutating func unit() -> Double {
        Double(self.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Returns true with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        self.unit() < probability
    }

    /// Returns one element of a non-empty array.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[self.int(below: elements.count)]
    }

    /// Returns an index chosen with the given non-negative integer weights.
    public mutating func weightedIndex(_ weights: [Int]) -> Int {
        var total = 0
        for index in 0..<weights.count {
            total += weights[index]
        }
        precondition(total > 0, "weights must not all be zero")
        var remaining = self.int(below: total)
        for index in 0..<weights.count {
            if remaining < weights[index] {
                return index
            }
            remaining -= weights[index]
        }
        return weights.count - 1
    }

    /// Shuffles in place with Fisher–Yates, using only this generator.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else {
            return
        }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            let other = self.int(below: index + 1)
            elements.swapAt(index, other)
        }
    }

    /// Returns `count` decimal digits as a string (leading zeros kept).
    public mutating func digits(_ count: Int) -> String {
        var result = ""
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(Character(Unicode.Scalar(UInt8(48 + self.int(below: 10)))))
        }
        return result
    }
}
