/// A parsed JSON value that remembers where in the text it started, for diagnostics.
public struct JSONNode: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number as written, and its value as a `Double`.
        case number(String, Double)
        case string(String)
        case array([JSONNode])
        /// Members in document order.
        case object([(key: String, value: JSONNode)])
    }

    public var value: Value
    /// 1-based line of the value's first character.
    public var line: Int
    /// 1-based column (in bytes) of the value's first character.
    public var column: Int

    /// A short name of the value's type for messages: "a string", "an object"...
    public var typeDescription: String {
        switch self.value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
