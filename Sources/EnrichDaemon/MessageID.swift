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
}
