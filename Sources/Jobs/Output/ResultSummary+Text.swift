import Formats

/// How a finished job reads to a person: the same words in `enrichctl`, `report.html` and the journal.
extension ResultSummary.State {
    /// `completed with warnings`, not `completedWithWarnings`.
    public var words: String {
        switch self {
        case .succeeded: "succeeded"
        case .completedWithWarnings: "completed with warnings"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }
}

extension ResultSummary {
    /// "Enriched 1,860 of 2,000 profiles (93.0%)", as Customer Insights heads its results view.
    public var headlineText: String {
        let headline = self.customers.headline
        return "Enriched \(NumberText.grouped(headline.enriched)) of \(NumberText.grouped(headline.total)) profiles "
            + "(\(NumberText.percent(headline.percent)))"
    }

    /// Why a job completed with warnings, one sentence each: the job's own warnings (a segment that selects
    /// nothing…), then rows that got an error or had no usable company name (the daemon's rule for
    /// `completedWithWarnings`). Empty for a job that succeeded.
    public var warningReasons: [String] {
        var reasons = self.warnings ?? []
        func rows(_ count: Int, _ what: String) -> String {
            "\(NumberText.grouped(count)) \(what)\(count == 1 ? "" : "s")"
        }
        if self.customers.errors > 0 {
            reasons.append("\(rows(self.customers.errors, "row")) got an error from Leadspace (see \(self.outputs.errors); enrichctl retry does not pay again for the others)")
        }
        if self.customers.invalidInput > 0 {
            let placeholders = self.customers.placeholders ?? 0
            reasons.append("\(rows(self.customers.invalidInput, "row")) had no usable company name"
                + (placeholders > 0 ? " (\(NumberText.grouped(placeholders)) of them placeholders such as N/A)" : "")
                + " and were not looked up (InvalidInput, see \(self.outputs.errors))")
        }
        if let contacts = self.contacts {
            if contacts.errors > 0 { reasons.append("\(rows(contacts.errors, "contact")) got an error from Leadspace") }
            if contacts.invalidInput > 0 {
                reasons.append("\(rows(contacts.invalidInput, "contact")) had no usable email or name and were not looked up")
            }
        }
        return reasons
    }
}

extension ResultSummary.Lookups {
    /// "Reused from the cache 1,200 · paid 408 (400 new, 8 stale)": what a refresh reused and what it bought,
    /// the same words on the page and in `enrichctl report`; nil without a lookup cache (no ``paidNew`` and
    /// ``paidStale``).
    public var reuseText: String? {
        guard let stale = self.paidStale, let new = self.paidNew else { return nil }
        let paid = NumberText.grouped(self.paid ?? self.sent)
        return "Reused from the cache \(NumberText.grouped(self.cacheHits)) · paid \(paid) "
            + "(\(NumberText.grouped(new)) new, \(NumberText.grouped(stale)) stale)"
    }
}
