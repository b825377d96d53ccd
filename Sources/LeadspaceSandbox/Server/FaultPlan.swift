/// What goes wrong with one request, drawn from the configured rates.
public enum FaultPlan: Sendable, Equatable {
    case none
    /// Answer with this 5xx status before doing any work (nothing is billed).
    case serverError(status: Int)
    /// Do the work (billed), then never answer: hold the connection past any sane client timeout, then drop it.
    case timeout
    /// Do the work (billed), then drop the connection without an answer.
    case reset
    /// Do the work (billed), then answer 200 with a body cut off in the middle.
    case malformed
}
