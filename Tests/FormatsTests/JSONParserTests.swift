import Testing

@testable import Formats

struct JSONParserTests {
    @Test(arguments: [
        ("", 1, 1, "empty"),
        ("{\"a\": 1,}", 1, 9, "expected a key"),
        ("{\n  \"a\": tru\n}", 2, 8, "invalid literal"),
        ("{\"a\": \"open", 1, 12, "never closed"),
        ("{\"a\": 01}", 1, 7, "leading zeros"),
        ("{\"a\": 1} x", 1, 10, "after the end"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key"),
        (String(repeating: "[", count: 100), 1, 65, "nesting deeper"),
    ] as [(String, Int, Int, String)])
    func syntaxErrorsNameLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect {
            try JSONParser.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONParser.SyntaxError else { return false }
            return error.line == line && error.column == column && error.message.contains(message)
        }
    }

    @Test func parsesValuesWithEscapesAndABOM() throws {
        let node = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"s": "a\"\u00e9\ud83d\ude00", "n": -1.5e2, "b": [true, null]}"#.utf8))
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        guard case .string(let s) = members[0].value.value else { Issue.record("not a string"); return }
        #expect(s == "a\"é😀")
        guard case .number(_, let n) = members[1].value.value else { Issue.record("not a number"); return }
        #expect(n == -150)
    }
}
