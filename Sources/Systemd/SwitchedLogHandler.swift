import Logging

/// What ``JournalLogHandler`` and ``StandardErrorLogHandler`` have in common, defined once: the level (the
/// handler's own, else its ``LogLevelSwitch``'s, else `.info`), metadata by key, and the metadata of a record.
protocol SwitchedLogHandler: LogHandler {
    /// The level this handler's logger set, if it set one.
    var ownLevel: Logger.Level? { get set }
    /// Follow a level that may change while the program runs.
    var levelSwitch: LogLevelSwitch? { get }
}

extension SwitchedLogHandler {
    /// The level this handler's logger set, else the shared one's (see ``LogLevelSwitch``), else `.info`.
    public var logLevel: Logger.Level {
        get { self.ownLevel ?? self.levelSwitch?.level ?? .info }
        set { self.ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// A record's metadata: the handler's, then its provider's, then the event's; a later one wins a key.
    func metadata(of event: LogEvent) -> Logger.Metadata {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let eventMetadata = event.metadata {
            merged.merge(eventMetadata) { _, new in new }
        }
        return merged
    }
}
