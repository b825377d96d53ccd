extension LeadspaceClient {
    /// ``enrichSingle(_:timeout:completion:)`` for async callers.
    public func enrichSingle(_ record: EnrichmentRecord, timeout: Duration) async -> LookupOutcome {
        await withCheckedContinuation { continuation in
            self.enrichSingle(record, timeout: timeout) { continuation.resume(returning: $0) }
        }
    }

    /// ``enrichBulk(records:timeout:maximumWait:completion:)`` for async callers.
    public func enrichBulk(records: [EnrichmentRecord], timeout: Duration,
                           maximumWait: Duration = .seconds(600)) async -> BulkOutcome {
        await withCheckedContinuation { continuation in
            self.enrichBulk(records: records, timeout: timeout, maximumWait: maximumWait) {
                continuation.resume(returning: $0)
            }
        }
    }

    /// ``verify(timeout:completion:)`` for async callers.
    public func verify(timeout: Duration = .seconds(20)) async -> VerificationResult {
        await withCheckedContinuation { continuation in
            self.verify(timeout: timeout) { continuation.resume(returning: $0) }
        }
    }
}
