/// journald `MESSAGE_ID`s of the daemon's job events, explained in `systemd/enrichd.catalog`.
public enum MessageID {
    public static let jobAccepted = "dc0d3cca573a49218d2ae50790eae6e5"
    public static let jobStarted = "70d297cf08854f2482d552f5bbf4912a"
    public static let jobCompleted = "ab1e92cefe724d0aaf44f99e5f8d7d11"
    public static let jobFailed = "18790f05dd6143109fbc1e94ff509128"
    public static let jobPaused = "76bb0e78d2c2405eb31c3ca8b419ce3b"
    public static let jobResumed = "d05447983c41468c84f3dab4e8e09008"
    /// A job paused because a spending cap was reached: its `maxPaidLookups`, or the connection's budget.
    public static let spendingCapReached = "9e0ff69e119242edb6d62d7b7afa5400"
    /// A saved enrichment's run ended and was recorded (`ENRICHMENT`, `JOB_ID`, `OUTCOME`).
    public static let enrichmentRunRecorded = "eef0e4e24a284f39a353cfa28c39563e"
    /// `hooks.runFinished` failed: a non-zero exit, a signal, its timeout, or it could not be started.
    public static let hookFailed = "9d5d7c07b6004dc1a91317bf3836491f"

    /// Every id above, by name: each has its entry in the catalog.
    public static let all: [(name: String, id: String)] = [
        ("jobAccepted", jobAccepted), ("jobStarted", jobStarted), ("jobCompleted", jobCompleted),
        ("jobFailed", jobFailed), ("jobPaused", jobPaused), ("jobResumed", jobResumed),
        ("enrichmentRunRecorded", enrichmentRunRecorded), ("hookFailed", hookFailed),
        ("spendingCapReached", spendingCapReached),
    ]
}
