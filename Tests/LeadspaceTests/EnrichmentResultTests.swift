import Foundation
import Testing

@testable import LeadspaceAPI

struct EnrichmentResultTests {
    @Test func decodesTheFieldsTheOutputNeedsIgnoringUnknownOnes() throws {
        let body = """
            {"status": "success", "external_id": "j#1", "surprise": {"x": 1},
             "data": {"enrichment_status": "Company Enriched", "extra": [1, 2],
                      "company": {"ug_company_id": "LS1", "name": "Acme", "website": "acme.com", "sic": 7372,
                                  "employees": {"exact": 120, "range": "51-200"}, "revenue_dollar": {"range": "$10M-$50M"},
                                  "address": {"country": "US", "city": "Austin", "zipcode": "78701"},
                                  "matching_confidence": {"level": "VERY LOW"}}}}
            """
        let result = try JSONDecoder().decode(EnrichmentResult.self, from: Data(body.utf8))
        #expect(result.companyEnriched)
        #expect(result.externalID == "j#1")
        #expect(result.company?.id == "LS1")
        #expect(result.company?.sic == "7372")
        #expect(result.company?.employeeCount == "120")
        #expect(result.company?.employeeRange == "51-200")
        #expect(result.company?.revenueUSD == nil)
        #expect(result.company?.postalCode == "78701")
        #expect(result.company?.confidenceLevel == "VERY LOW")
    }

    @Test func aMissIsAnAnswerAndWrongTypesAreTolerated() throws {
        let miss = try JSONDecoder().decode(EnrichmentResult.self, from: Data(
            #"{"status": "success", "data": {"enrichment_status": "Not Enriched"}}"#.utf8))
        #expect(!miss.companyEnriched)
        let odd = try JSONDecoder().decode(EnrichmentResult.self, from: Data(
            #"{"data": {"company": {"ug_company_id": "LS2", "name": ["not", "a", "string"], "employees": "many"}}}"#.utf8))
        #expect(odd.company?.id == "LS2")
        #expect(odd.company?.name == nil)
        #expect(odd.company?.employeeRange == nil)
    }

    /// Regression (make fuzz, Fuzz/Regressions/response/persona-score-overflow.json): a persona score too large
    /// for an Int trapped the decoder.
    @Test func hugePersonaScoresDecodeWithoutTrapping() throws {
        let body = #"{"data": {"person": {"ug_person_id": "P1", "analytics": {"scores": [{"profile_name": "IT", "score": {"value": 777777777777777777790}}], "max_positive_score_profiles": ["IT"]}}}}"#
        let result = try JSONDecoder().decode(EnrichmentResult.self, from: Data(body.utf8))
        #expect(result.person?.persona == "IT")
        #expect(result.person?.personaScore == String(777777777777777777790.0))
        let regression = try Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Regressions/response/persona-score-overflow.json"))
        #expect(try JSONDecoder().decode(EnrichmentResult.self, from: regression).person?.id == "P1")
    }
}
