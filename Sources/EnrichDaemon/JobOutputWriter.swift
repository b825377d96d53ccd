import Foundation
import Formats
import Jobs
import Spool

/// The write pass of a job: streams the customers (and contacts) again and fans the recorded answers out into
/// the output table, `errors.csv`, `result.json` and `report.html`, renamed into place only when all are written.
struct JobOutputWriter {
    let id: String
    let job: JobDirectory
    let descriptor: JobDescriptor
    let inputRoots: [String]
    /// The planning pass (the write pass reads the inputs again with its memo and keys).
    var plan: JobPlan
    let keys: [String]
    let keyIndex: [String: Int]
    let answers: [String: CompanyAnswer]
    /// A cancel ended the enrichment: unanswered lookups are written as errors, not treated as a bug.
    let cancelled: Bool
    let lookups: ResultSummary.Lookups
    /// The lookups whose cached answers had gone stale (`nil`: no cache, so no split of what was paid).
    let staleKeys: Set<String>?
    let startedAt: Date

    /// For a run of a saved enrichment, the runs its history has recorded so far (this one is appended once the
    /// job has reached done/); nil for a one-off job. The writer is given its job's directory, `active/ID`, and
    /// finds the spool two levels up.
    private func enrichmentHistory() -> [RefreshHistoryEntry]? {
        guard let name = self.descriptor.enrichment else { return nil }
        let active = (self.job.path as NSString).deletingLastPathComponent
        let layout = SpoolLayout(root: (active as NSString).deletingLastPathComponent)
        return RefreshHistoryEntry.entries(layout.enrichment(name.rawValue).historyLines())
    }

    /// The answer fanned out to a row; a cancelled job's unanswered lookups are errors, anything else missing is a bug.
    private func recordedAnswer(_ key: String, line: Int) throws(JobError) -> CompanyAnswer {
        if let recorded = self.answers[key] { return recorded }
        guard self.cancelled else {
            throw JobError(.internalError, "no answer recorded for the lookup of line \(line)")
        }
        return CompanyAnswer(status: .error, reason: "the job was cancelled before this lookup", answeredAt: "")
    }

    /// The output table's rows, one per in-scope customer and address kind, in input order.
    ///
    /// Per row this reads the customer's fields in place, finds its lookup through the memo and copies the
    /// answer's columns rendered once per lookup; the counts are summed per lookup and folded in at the end. The
    /// first row of a lookup this job paid for says `Paid=true` (rendered for it alone); every other row sharing
    /// the lookup says false, so the column sums to what was billed.
    private mutating func writeCustomers(
        _ source: CustomerSource, table: CSVWriter, errors: CSVWriter, into customers: inout ResultSummary.Records,
        coverage: inout [String: Int], paid: inout [Bool]
    ) throws {
        let kinds = source.addressKinds
        let fileName = self.descriptor.customers.file
        // Per lookup: the answer (a cancelled job's missing ones become errors once) and whether its rows go to
        // errors.csv; per address kind and lookup (slot kind × lookups + lookup): the row count and the columns
        // after CustomerId, rendered once (bounded: rows of lookups past the bound are rendered each time).
        let lookups = self.keys.count
        var answers = [CompanyAnswer?](repeating: nil, count: lookups)
        var loaded = [Bool](repeating: false, count: lookups)
        var reported = [Bool](repeating: false, count: lookups)
        var enriched = [Bool](repeating: false, count: lookups)
        // Whether this job bought the lookup's answer (read once per lookup: a CompanyAnswer copy per row costs).
        var bought = [Bool](repeating: false, count: lookups)
        var enrichedProfiles = 0
        var counts = [Int](repeating: 0, count: lookups * kinds.count)
        let renderedLimit = 65_536
        var rendered = [[UInt8]](repeating: [], count: min(lookups, renderedLimit) * kinds.count)
        var invalidCounts = [Int](repeating: 0, count: kinds.count)
        let invalidAnswers: [RowLookup: CompanyAnswer] = Dictionary(uniqueKeysWithValues: [RowLookup.emptyName, .placeholder].map {
            ($0, CompanyAnswer(status: .invalidInput, reason: $0.invalidReason, answeredAt: ""))
        })
        func render(_ answer: CompanyAnswer, _ kind: AddressKind, paid: Bool = false) -> [UInt8] {
            CSVWriter.render(CompanyOutputTable.row(customerID: "", kind: kind, answer: answer, paid: paid).dropFirst())
        }
        let invalidRendered = invalidAnswers.mapValues { answer in kinds.map { render(answer, $0) } }
        // Read by the memo's resolver while the memo (in `plan`) is being changed: a copy, not the property.
        let rawIndex = self.plan.rawIndex
        func errorRow(_ answer: CompanyAnswer, kind: AddressKind) throws {
            try errors.write(["Customer", source.currentID, fileName, String(source.currentLine), kind.outputName,
                              answer.status.rawValue, answer.reason ?? "", answer.trackingID ?? ""])
        }
        func writeRow(_ rendered: [UInt8]) throws {
            if let id = source.currentIDBytes { return try table.write(first: id, rendered: rendered) }
            try source.withCurrentID { try table.write(first: $0, rendered: rendered) }
        }
        while try source.advance() {
            customers.rows += 1
            guard source.currentInScope else {
                customers.outOfScope += 1
                continue
            }
            customers.inScope += 1
            var profileEnriched = false
            for kind in 0..<kinds.count {
                let row = source.currentLookup(kind, memo: &self.plan.memo) { rawIndex[$0.matchKey] ?? -1 }
                guard case .lookup(let raw) = row else {
                    try writeRow(invalidRendered[row]![kind])
                    invalidCounts[kind] += 1
                    try errorRow(invalidAnswers[row]!, kind: kinds[kind])
                    continue
                }
                guard raw >= 0, let index = self.plan.lookup(row) else {
                    throw JobError(.internalError, "no lookup planned for line \(source.currentLine)")
                }
                if !loaded[index] {
                    // The job's confidence floor is the company lookups' (contacts keep what Leadspace said).
                    let answer = try self.recordedAnswer(self.keys[index], line: source.currentLine)
                        .applying(minimum: self.descriptor.minimumConfidence)
                    answers[index] = answer
                    loaded[index] = true
                    reported[index] = answer.status == .invalidInput || answer.status == .error
                    enriched[index] = answer.status == .enriched
                    bought[index] = answer.wasPaid
                }
                profileEnriched = profileEnriched || enriched[index]
                if bought[index] && !paid[index] {
                    // The one row that carries this lookup's cost.
                    paid[index] = true
                    try writeRow(render(answers[index]!, kinds[kind], paid: true))
                } else if index < renderedLimit {
                    let slot = kind * min(lookups, renderedLimit) + index
                    if rendered[slot].isEmpty { rendered[slot] = render(answers[index]!, kinds[kind]) }
                    try writeRow(rendered[slot])
                } else {
                    try writeRow(render(answers[index]!, kinds[kind]))
                }
                counts[kind * lookups + index] += 1
                if reported[index] { try errorRow(answers[index]!, kind: kinds[kind]) }
            }
            if profileEnriched { enrichedProfiles += 1 }
        }
        customers.enrichedProfiles = enrichedProfiles
        for (kind, addressKind) in kinds.enumerated() {
            if invalidCounts[kind] > 0 {
                customers.count(.invalidInput, confidence: nil, addressType: addressKind.outputName,
                                times: invalidCounts[kind])
            }
            for index in 0..<lookups where counts[kind * lookups + index] > 0 {
                let times = counts[kind * lookups + index]
                guard let answer = answers[index] else { continue }
                customers.count(answer.status, confidence: answer.confidence, addressType: addressKind.outputName,
                                times: times)
                if answer.reason == CompanyAnswer.belowMinimumConfidence && answer.status == .notEnriched {
                    customers.belowMinimumConfidence = (customers.belowMinimumConfidence ?? 0) + times
                }
                if answer.status == .enriched, let company = answer.company {
                    for column in CompanyOutputTable.coveredColumns(company) { coverage[column, default: 0] += times }
                }
            }
        }
    }

    mutating func write() throws(JobError) -> ResultSummary {
        let descriptor = self.descriptor
        let tableName = "\(descriptor.outputTable).csv"
        let contactsName = "\(descriptor.outputTable)Contacts.csv"
        let errorsName = JobDirectory.errorsTableName
        let tablePath = self.job.file(".\(tableName).tmp")
        let contactsPath = self.job.file(".\(contactsName).tmp")
        let errorsPath = self.job.file(".\(errorsName).tmp")
        var customers = ResultSummary.Records()
        if descriptor.minimumConfidence != nil { customers.belowMinimumConfidence = 0 }
        var contactRecords = ResultSummary.Records()
        var coverage = Dictionary(uniqueKeysWithValues: CompanyOutputTable.coverageColumns.map { ($0, 0) })
        var contactCoverage = Dictionary(uniqueKeysWithValues: ContactsOutputTable.coverageColumns.map { ($0, 0) })
        func removeTemporaries() {
            unlink(tablePath)
            unlink(contactsPath)
            unlink(errorsPath)
        }
        do {
            let source = try CustomerSource(descriptor: descriptor, bundle: self.job.path,
                                            inputRoots: self.inputRoots)
            let table = try CSVWriter(path: tablePath)
            let errors = try CSVWriter(path: errorsPath)
            try table.write(CompanyOutputTable.columns)
            try errors.write(["RecordType", "RecordId", "File", "Line", "AddressType", "EnrichmentStatus", "Reason",
                              "TrackingId"])
            var paid = [Bool](repeating: false, count: self.keys.count)
            try self.writeCustomers(source, table: table, errors: errors, into: &customers, coverage: &coverage,
                                    paid: &paid)
            customers.placeholders = self.plan.placeholders
            customers.finish()
            if let spec = descriptor.contacts {
                let contacts = try ContactSource(spec: spec, bundle: self.job.path,
                                                 inputRoots: self.inputRoots)
                let output = try CSVWriter(path: contactsPath)
                try output.write(ContactsOutputTable.columns)
                while let contact = try contacts.next(company: { self.plan.accountCompanies[$0] }) {
                    contactRecords.rows += 1
                    let answer: CompanyAnswer
                    if !self.plan.customerIDHashes.contains(CustomerSource.idHash(contact.customerID)) {
                        answer = CompanyAnswer(status: .invalidInput,
                                               reason: "no customer with id \"\(contact.customerID)\" in \(descriptor.customers.file)",
                                               answeredAt: "")
                    } else if !self.plan.inScopeAccounts.contains(contact.customerID) {
                        // The account is outside the segment (or has no company name): not in this enrichment.
                        contactRecords.outOfScope += 1
                        continue
                    } else if let query = contact.query {
                        answer = try self.recordedAnswer(query.matchKey, line: contact.line)
                    } else {
                        answer = CompanyAnswer(status: .invalidInput, reason: contact.invalidReason, answeredAt: "")
                    }
                    contactRecords.inScope += 1
                    var rowPaid = false
                    if answer.wasPaid, let query = contact.query, let index = self.keyIndex[query.matchKey], !paid[index] {
                        paid[index] = true
                        rowPaid = true
                    }
                    try output.write(ContactsOutputTable.row(contactID: contact.id, customerID: contact.customerID,
                                                             answer: answer, paid: rowPaid))
                    contactRecords.count(answer.status, confidence: nil, addressType: nil)
                    if answer.status == .enriched, let person = answer.person {
                        for column in ContactsOutputTable.coveredColumns(person) { contactCoverage[column, default: 0] += 1 }
                    }
                    if answer.status == .invalidInput || answer.status == .error {
                        try errors.write(["Contact", contact.id, spec.file, String(contact.line), "",
                                          answer.status.rawValue, answer.reason ?? "", answer.trackingID ?? ""])
                    }
                }
                contactRecords.finish()
                try output.close()
            }
            try table.close()
            try errors.close()
        } catch let error as JobError {
            removeTemporaries()
            throw error
        } catch {
            removeTemporaries()
            throw JobError(.writeFailed, "cannot write the outputs: \(error)",
                           hint: "free space in the spool's filesystem; the job can be retried with enrichctl retry")
        }

        var lookups = self.lookups
        let answers = self.answers
        lookups.settle(answers: self.keys.lazy.map { answers[$0] })
        if let staleKeys = self.staleKeys {
            lookups.split(paidStale: staleKeys.reduce(0) { $0 + (answers[$1]?.wasPaid == true ? 1 : 0) })
        }
        let finishedAt = Date()
        let summary = ResultSummary(
            id: self.id,
            name: descriptor.name,
            outputTable: descriptor.outputTable,
            connection: descriptor.connection,
            state: self.cancelled ? .cancelled
                : customers.errors + customers.invalidInput + contactRecords.errors + contactRecords.invalidInput > 0
                    || !self.plan.warnings.isEmpty ? .completedWithWarnings : .succeeded,
            timings: .init(startedAt: Timestamp.iso(self.startedAt), finishedAt: Timestamp.iso(finishedAt),
                           durationSeconds: (finishedAt.timeIntervalSince(self.startedAt) * 1000).rounded() / 1000),
            customers: customers,
            contacts: descriptor.contacts == nil ? nil : contactRecords,
            fieldCoverage: coverage,
            contactFieldCoverage: descriptor.contacts == nil ? nil : contactCoverage,
            lookups: lookups,
            outputs: .init(table: tableName, contacts: descriptor.contacts == nil ? nil : contactsName, errors: errorsName),
            warnings: self.plan.warnings
        )
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try DurableFile.write(try encoder.encode(summary), to: self.job.result)
            try DurableFile.rename(tablePath, to: self.job.file(tableName))
            try DurableFile.rename(errorsPath, to: self.job.file(errorsName))
            if descriptor.contacts != nil {
                try DurableFile.rename(contactsPath, to: self.job.file(contactsName))
            }
            let tableFile = self.job.file(tableName)
            let page = ReportPage.render(summary, preview: ReportPage.preview(path: tableFile),
                                         history: self.enrichmentHistory())
            try DurableFile.write(Array(page.utf8), to: self.job.report)
        } catch {
            throw JobError(.writeFailed, "cannot write the outputs: \(error)")
        }
        return summary
    }
}
