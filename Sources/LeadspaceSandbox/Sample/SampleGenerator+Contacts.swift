import SplitMix

extension SampleGenerator {
    /// Contacts of the sample's accounts: mostly directory persons of the account's company, spelled as CRMs
    /// hold them, and some people the directory does not know.
    func contacts(count: Int, accounts: [AccountRow]) -> [ContactRow] {
        guard count > 0, !accounts.isEmpty else {
            return []
        }
        var random = SplitMix64(seed: self.directory.seed, stream: RandomStream.contacts.rawValue)
        let known = accounts.filter { !$0.companyID.isEmpty }
        let unknown = accounts.filter { $0.companyID.isEmpty }

        // Every (account, directory person) pair a contact could be; duplicate accounts of one company each
        // get their own pairs, as a CRM holds the same person under both.
        var pairs: [(account: AccountRow, person: Person)] = []
        for account in known {
            guard let index = self.matcher.companyIndex(id: account.companyID) else {
                continue
            }
            for person in self.directory.persons(of: self.directory.companies[index]) {
                pairs.append((account, person))
            }
        }
        let knownCount = min(pairs.count, (count * 85 + 50) / 100)
        for position in 0..<knownCount {
            pairs.swapAt(position, position + random.int(below: pairs.count - position))
        }

        var rows: [ContactRow] = []
        rows.reserveCapacity(count)
        for (account, person) in pairs.prefix(knownCount) {
            var row = ContactRow()
            row.customerID = account.customerID
            self.fill(&row, from: person, random: &random)
            rows.append(row)
        }
        var usedEmails: Set<String> = []
        while rows.count < count {
            let fromKnown = unknown.isEmpty || known.isEmpty ? !known.isEmpty : random.chance(0.9)
            let account = fromKnown ? random.pick(known) : random.pick(unknown)
            let company =
                fromKnown
                ? self.matcher.companyIndex(id: account.companyID).map {
                    self.directory.companies[$0]
                } : nil
            var row = ContactRow()
            row.customerID = account.customerID
            self.fillUnknown(&row, account: account, company: company, usedEmails: &usedEmails, random: &random)
            rows.append(row)
        }
        random.shuffle(&rows)

        var usedNumbers: Set<Int> = []
        for position in rows.indices {
            var number = random.int(in: 100_000...999_999)
            while !usedNumbers.insert(number).inserted {
                number = random.int(in: 100_000...999_999)
            }
            rows[position].contactID = "CT\(number)"
        }
        return rows
    }

    /// A directory person as a CRM holds them: sometimes shouting, without accents, without e-mail or title.
    private func fill(_ row: inout ContactRow, from person: Person, random: inout SplitMix64) {
        row.personID = person.id
        row.firstName = person.firstName
        row.lastName = person.lastName
        switch random.int(below: 100) {
        case ..<5: row.lastName = person.lastName.uppercased()
        case ..<10:
            row.firstName = NameVariants.withoutAccents(person.firstName)
            row.lastName = NameVariants.withoutAccents(person.lastName)
        default: break
        }
        switch random.int(below: 100) {
        case ..<78: row.email = person.email
        case ..<86: row.email = Self.capitalizedEmail(person.email)
        default: row.email = ""
        }
        switch random.int(below: 100) {
        case ..<70: row.title = person.title
        case ..<85: row.title = ""
        default: row.title = person.title.uppercased()
        }
    }

    /// Someone the directory does not know, at the account's company (or its made-up domain).
    private func fillUnknown(
        _ row: inout ContactRow, account: AccountRow, company: Company?, usedEmails: inout Set<String>,
        random: inout SplitMix64
    ) {
        let style = company.flatMap { CountryCatalog.profile(code: $0.country)?.style } ?? .english
        let domain = company?.domain ?? WebsiteNormalizer.host(account.website) ?? ""
        while true {
            let first = random.pick(PersonNameWords.firstNames(for: style))
            let last = random.pick(PersonNameWords.lastNames(for: style))
            let local =
                TextFolding.asciiWords(first, expandUmlauts: style.expandsUmlauts).joined() + "."
                + TextFolding.asciiWords(last, expandUmlauts: style.expandsUmlauts).joined()
            let email = domain.isEmpty ? "" : local + "@" + domain
            let takenInCompany =
                company.map { company in
                    self.directory.persons(of: company).contains {
                        NameNormalizer.personKey($0.firstName, $0.lastName) == NameNormalizer.personKey(first, last)
                    }
                } ?? false
            guard !takenInCompany, email.isEmpty || self.matcher.personIndex(email: email) == nil,
                email.isEmpty || usedEmails.insert(email).inserted
            else {
                continue
            }
            row.firstName = first
            row.lastName = last
            row.email = random.chance(0.8) ? email : ""
            let level = random.pick(JobTitleCatalog.levels).level
            row.title = random.chance(0.7) ? JobTitleCatalog.role(level: level, random: &random).title : ""
            return
        }
    }

    /// "john.smith@acme.com" → "John.Smith@acme.com", as some CRMs store addresses.
    private static func capitalizedEmail(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@") else {
            return email
        }
        let local = email[..<at].split(separator: ".", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: ".")
        return local + email[at...]
    }
}
