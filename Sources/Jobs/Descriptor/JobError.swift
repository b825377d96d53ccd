import Formats

/// Why a job was rejected or failed: a ``Diagnostic`` with the codes of jobs, written as `error.json`.
public typealias JobError = Diagnostic

extension Diagnostic.Code {
    public static let missingColumn = Self(rawValue: "missingColumn")
    /// The header names a column the job uses more than once.
    public static let duplicateColumn = Self(rawValue: "duplicateColumn")
    public static let duplicateCustomerId = Self(rawValue: "duplicateCustomerId")
    public static let pathNotAllowed = Self(rawValue: "pathNotAllowed")
    public static let unknownConnection = Self(rawValue: "unknownConnection")
    public static let consentRequired = Self(rawValue: "consentRequired")
    public static let outputTableBusy = Self(rawValue: "outputTableBusy")
    public static let writeFailed = Self(rawValue: "writeFailed")
    public static let lookupsFailed = Self(rawValue: "lookupsFailed")
    public static let internalError = Self(rawValue: "internalError")
    public static let poisonJob = Self(rawValue: "poisonJob")
    public static let cancelled = Self(rawValue: "cancelled")
}
