/// A JSON value read as text whatever its JSON type: CRMs send postal codes and ids as numbers as often as
/// strings, and a provider that rejected them would be useless.
struct LenientString: Decodable, Sendable {
    let value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.value = text
        } else if let integer = try? container.decode(Int64.self) {
            self.value = String(integer)
        } else if let number = try? container.decode(Double.self) {
            self.value = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            self.value = String(flag)
        } else if container.decodeNil() {
            self.value = ""
        } else {
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string")
            )
        }
    }
}

extension KeyedDecodingContainer {
    /// The field as text; empty when absent or null.
    func text(_ key: Key) throws -> String {
        try self.decodeIfPresent(LenientString.self, forKey: key)?.value ?? ""
    }
}
