import Formats
import Foundation
import Testing

@testable import Jobs

/// The compact answer JSON of the ledger and the cache: what one writer writes, every reader reads back.
struct CompanyAnswerJSONTests {
    static func sample() -> CompanyAnswer {
        var company = CompanyFields()
        company.leadspaceCompanyId = "LS1"
        company.companyName = "Acme \"Quoted\" \\ Back, Inc."
        company.website = "https://acme.example/path"
        company.street = "Line 1\nLine 2\tTabbed \u{01} control"
        company.city = "Zürich 🏔"
        company.state = ""
        var person = PersonFields()
        person.title = "VP Sales"
        person.personaScore = "87"
        return CompanyAnswer(status: .enriched, confidence: "High", company: company, person: person,
                             reason: nil, trackingID: "t-1", source: "lookup", answeredAt: "2026-11-30T10:00:00.000Z")
    }

    @Test func roundTripsThroughTheFastReader() throws {
        let answer = Self.sample()
        let json = answer.jsonBytes
        #expect(!json.contains(UInt8(ascii: "\n")), "one line")
        #expect(CompanyAnswer(json: json) == answer)
        // The full parser reads the same text to the same answer.
        let node = try JSONParser.parse(json)
        #expect(CompanyAnswer(node: node) == answer)
    }

    @Test func readsWhatJSONEncoderWrote() throws {
        for answer in [Self.sample(), CompanyAnswer(status: .notEnriched, answeredAt: "x"),
                       CompanyAnswer(status: .error, reason: "HTTP 500", trackingID: "abc", answeredAt: "")] {
            let encoded = [UInt8](try JSONEncoder().encode(answer))
            #expect(CompanyAnswer(json: encoded) == answer)
            let pretty = JSONEncoder()
            pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
            #expect(CompanyAnswer(json: [UInt8](try pretty.encode(answer))) == answer)
            // And Foundation reads what the compact writer wrote.
            #expect(try JSONDecoder().decode(CompanyAnswer.self, from: Data(answer.jsonBytes)) == answer)
        }
    }

    /// Answers stored before timestamps carried their `Z` (ledgers, the cache) read back in UTC's notation, so
    /// an output table never mixes the two.
    @Test func oldAnswerTimesGainTheirZ() throws {
        var old = Self.sample()
        old.answeredAt = "2026-11-30T10:00:00.000"
        let json = String(decoding: old.jsonBytes, as: UTF8.self)
        #expect(CompanyAnswer(json: Array(json.utf8))?.answeredAt == "2026-11-30T10:00:00.000Z")
        #expect(CompanyAnswer(node: try JSONParser.parse(Array(json.utf8)))?.answeredAt == "2026-11-30T10:00:00.000Z")
        for kept in ["2026-11-30T10:00:00.000Z", "", "x", "2026-11-30 10:00:00.000"] {
            old.answeredAt = kept
            #expect(CompanyAnswer(json: old.jsonBytes)?.answeredAt == kept)
        }
    }

    @Test func rejectsWhatIsNotAnAnswer() {
        for text in ["", "{}", "[]", "{\"status\":\"Nope\",\"source\":\"x\",\"answeredAt\":\"\"}",
                     "{\"status\":\"Enriched\",\"source\":\"x\"}", "{\"status\":\"Enriched\",\"source\":\"x\",\"answeredAt\":\"\"",
                     "{\"status\":\"Enriched\",\"source\":1,\"answeredAt\":\"\"}"] {
            #expect(CompanyAnswer(json: Array(text.utf8)) == nil, "\(text)")
        }
        // Unknown members and nulls are tolerated, as Codable does.
        let lenient = #"{"status":"NotEnriched","extra":{"a":[1,2]},"confidence":null,"source":"s","answeredAt":"t"}"#
        #expect(CompanyAnswer(json: Array(lenient.utf8)) == CompanyAnswer(status: .notEnriched, source: "s", answeredAt: "t"))
        // Escapes, including a surrogate pair.
        let escaped = #"{"status":"Error","reason":"a\"b\\c\/d\n\u00e9\ud83d\ude00","source":"s","answeredAt":"t"}"#
        #expect(CompanyAnswer(json: Array(escaped.utf8))?.reason == "a\"b\\c/d\né😀")
    }
}

/// The record memo: exact byte keys, bounded size.
struct ByteKeyMemoTests {
    func lookup(_ memo: ByteKeyMemo, _ key: String) -> Int32? {
        var key = key
        return key.withUTF8 { memo.value(for: $0, hash: ByteKeyMemo.hash($0)) }
    }

    @Test func remembersExactKeysAndStopsAtItsLimit() {
        var memo = ByteKeyMemo(limit: 3_000)
        for index in 0..<5_000 {
            var key = "key \(index)"
            key.withUTF8 { memo.insert($0, hash: ByteKeyMemo.hash($0), value: Int32(index)) }
        }
        #expect(memo.count == 3_000)
        #expect(self.lookup(memo, "key 0") == 0)
        #expect(self.lookup(memo, "key 2999") == 2_999)
        #expect(self.lookup(memo, "key 3000") == nil, "past the limit nothing is kept")
        #expect(self.lookup(memo, "key 1") == 1)
        #expect(self.lookup(memo, "key 1 ") == nil)
        #expect(self.lookup(memo, "") == nil)
        var empty = ""
        empty.withUTF8 { memo.insert($0, hash: ByteKeyMemo.hash($0), value: -1) }
        #expect(self.lookup(memo, "") == nil, "the memo is full")
        var small = ByteKeyMemo(limit: 10)
        empty.withUTF8 { small.insert($0, hash: ByteKeyMemo.hash($0), value: -1) }
        #expect(self.lookup(small, "") == -1)
    }

    /// Calls `body` with the three parts and their NUL-joined key.
    func withParts<R>(_ parts: [String], _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>,
                                                 UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        var (a, b, c) = (parts[0], parts[1], parts[2])
        let key = Array(a.utf8) + [0] + Array(b.utf8) + [0] + Array(c.utf8)
        return a.withUTF8 { a in b.withUTF8 { b in c.withUTF8 { c in key.withUnsafeBufferPointer { body(a, b, c, $0) } } } }
    }

    @Test func aLaterPassRecallsTheNotedEntryOnlyForTheSameBytes() {
        var memo = ByteKeyMemo(limit: 2)
        let rows = [["acme", "acme.com", "DE"], ["beta", "", ""], ["acme", "acme.com", "DE"], ["gamma", "g.io", "FR"],
                    ["delta", "d.io", ""]]
        for (position, row) in rows.enumerated() where position != 1 {
            self.withParts(row) { _, _, _, key in
                let hash = ByteKeyMemo.hash(key)
                if memo.value(for: key, hash: hash, noting: position * 2) == nil {
                    memo.insert(key, hash: hash, value: Int32(position), noting: position * 2)
                }
            }
        }
        func recalled(_ position: Int, _ parts: [String]) -> Int32? {
            self.withParts(parts) { a, b, c, _ in memo.recalled(at: position, a, b, c) }
        }
        #expect(recalled(0, rows[0]) == 0)
        #expect(recalled(4, rows[2]) == 0, "a repeated key notes the entry it found")
        #expect(recalled(6, rows[3]) == 3)
        #expect(recalled(8, rows[4]) == nil, "the memo was full: nothing noted")
        #expect(recalled(2, rows[1]) == nil, "a position skipped by the first pass")
        #expect(recalled(1, rows[0]) == nil, "a position between noted ones")
        #expect(recalled(0, ["acme", "acme.co", "mDE"]) == nil, "the same bytes split otherwise")
        #expect(recalled(0, ["acme", "acme.com", "DF"]) == nil, "a row that changed between the passes")
        #expect(recalled(0, ["acme", "acme.com", "D"]) == nil)
        #expect(recalled(99, rows[0]) == nil, "past the trail")
    }
}
