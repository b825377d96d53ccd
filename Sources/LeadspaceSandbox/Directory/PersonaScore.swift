/// How well a person fits one of the customer's buyer personas.
public struct PersonaScore: Sendable, Hashable {
    /// The profile names every person is scored against, in output order.
    public static let profileNames = ["IT Decision Maker", "Sales Leader", "Marketing Buyer", "Finance Approver"]

    public let profileName: String
    /// 0...100.
    public let value: Int

    /// The letter grade Leadspace reports beside the value: A for the best fits, D for the worst.
    public var bucket: String {
        switch self.value {
        case 75...: return "A"
        case 50..<75: return "B"
        case 25..<50: return "C"
        default: return "D"
        }
    }
}
