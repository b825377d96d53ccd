/// A minimal FIFO with O(1) amortised append, popFirst and prepend.
struct Deque<Element: Sendable>: Sendable {
    private var front: [Element] = []  // reversed
    private var back: [Element] = []

    var count: Int { self.front.count + self.back.count }
    var isEmpty: Bool { self.front.isEmpty && self.back.isEmpty }

    mutating func append(_ element: Element) { self.back.append(element) }

    mutating func prepend(_ element: Element) { self.front.append(element) }

    mutating func popFirst() -> Element? {
        if self.front.isEmpty {
            guard !self.back.isEmpty else { return nil }
            self.front = self.back.reversed()
            self.back.removeAll(keepingCapacity: true)
        }
        return self.front.popLast()
    }
}
