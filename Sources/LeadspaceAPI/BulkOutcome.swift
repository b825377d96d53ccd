/// How one bulk call ended.
public enum BulkOutcome: Sendable, Equatable {
    /// Leadspace processed the batch: one outcome per input record, in input order. Per record, a result is
    /// `.answered`; error 1200 is `.invalidInput`; error 1100 (internal) and a record missing from the results
    /// are `.transient` (send that record again, on its own or in a later batch).
    case completed([LookupOutcome])
    /// The whole call failed (401, 427, 429, 5xx, a timeout…); the outcome applies to every record.
    case failed(LookupOutcome)

    /// One outcome per record, in input order, whether the call failed as a whole or not.
    public func outcomes(count: Int) -> [LookupOutcome] {
        switch self {
        case .completed(let outcomes): outcomes
        case .failed(let outcome): Array(repeating: outcome, count: count)
        }
    }
}
