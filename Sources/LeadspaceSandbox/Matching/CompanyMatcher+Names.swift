extension CompanyMatcher {
    /// The name rules, strongest first: exact normalized name (HIGH with the same country, else MEDIUM), then
    /// the query as the first words of exactly one name, a name as the first words of the query, and one typo.
    func matchName(tokens: [String], country: String?) -> CompanyMatch? {
        let key = tokens.joined(separator: " ")
        if let index = self.exactName(key) {
            let sameCountry = country != nil && self.directory.companies[index].country == country
            return CompanyMatch(
                companyIndex: index, confidence: sameCountry ? .high : .medium,
                rule: sameCountry ? .nameAndCountry : .name
            )
        }
        if let match = self.uniqueCandidate(self.prefixCandidates(key), country: country, rule: .namePrefix) {
            return match
        }
        // "Northwind Analytics Deutschland" for "Northwind Analytics": a subsidiary or a qualified spelling.
        if tokens.count > 1 {
            for length in stride(from: tokens.count - 1, through: 1, by: -1) {
                if let index = self.exactName(tokens[..<length].joined(separator: " ")) {
                    let confidence: MatchConfidence = length > 1 ? .low : .veryLow
                    return CompanyMatch(companyIndex: index, confidence: confidence, rule: .nameExtension)
                }
            }
        }
        return self.uniqueCandidate(self.typoCandidates(key), country: country, rule: .nameTypo)
    }

    /// LOW when exactly one candidate fits; VERY LOW when several do but only one is in the given country.
    private func uniqueCandidate(_ candidates: [Int], country: String?, rule: CompanyMatch.Rule) -> CompanyMatch? {
        if candidates.count == 1 {
            return CompanyMatch(companyIndex: candidates[0], confidence: .low, rule: rule)
        }
        guard candidates.count > 1, let country else {
            return nil
        }
        let local = candidates.filter { self.directory.companies[$0].country == country }
        guard local.count == 1 else {
            return nil
        }
        return CompanyMatch(companyIndex: local[0], confidence: .veryLow, rule: rule)
    }

    /// Companies within one edit of the normalized name, found through the deletion index.
    private func typoCandidates(_ key: String) -> [Int] {
        let scalars = Array(key.unicodeScalars)
        guard scalars.count + 1 >= Self.minimumTypoLength else {
            return []
        }
        var candidates: [Int] = self.deletionEntries(key)
        for deletion in EditDistance.deletions(key) {
            if let index = self.exactName(deletion) {
                candidates.append(index)
            }
            candidates.append(contentsOf: self.deletionEntries(deletion))
        }
        var seen: Set<Int> = []
        return candidates.filter { index in
            guard seen.insert(index).inserted else {
                return false
            }
            let target = Array(self.normalizedName(ofCompanyAt: index).unicodeScalars)
            return target.count >= Self.minimumTypoLength && EditDistance.isAtMostOne(scalars, target)
        }
    }
}
