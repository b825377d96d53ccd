import Jobs

/// What a SIGHUP changes: a pure diff of the running configuration and the one just read.
///
/// The spool, the cache and removing a connection take effect only at the next start (said in the journal);
/// everything else applies now: the log level, each connection's settings and credentials, new connections.
/// A reload also resumes the connections it reloaded (a paused one gets another chance).
struct ReloadPlan: Equatable {
    /// The configuration to run with from now on: the loaded one, with what cannot change kept as it was.
    var configuration: DaemonConfiguration
    /// What takes effect only at the next start, as the journal says it.
    var later: [String]
    /// Connections whose runtime is reloaded in place, and connections to start.
    var reloaded: [String]
    var added: [String]

    /// - Parameters:
    ///   - spoolOverridden: the spool came from the command line (`--spool`), so the file's does not matter.
    ///   - credentialed: the connections whose credentials loaded (the others keep running as they were).
    init(running: DaemonConfiguration, loaded: DaemonConfiguration, spoolOverridden: Bool, credentialed: Set<String>) {
        var later: [String] = []
        if loaded.spool != running.spool && !spoolOverridden { later.append("spool") }
        if loaded.cache != running.cache || loaded.cacheEnabled != running.cacheEnabled { later.append("cache") }
        later += running.connections.keys.filter { loaded.connections[$0] == nil }.sorted()
            .map { "removing connection \"\($0)\"" }
        var configuration = loaded
        configuration.spool = running.spool
        configuration.cache = running.cache
        configuration.cacheEnabled = running.cacheEnabled
        // A connection removed from the file runs on as it was until the restart.
        for (name, connection) in running.connections where configuration.connections[name] == nil {
            configuration.connections[name] = connection
        }
        let applied = loaded.connections.keys.filter { credentialed.contains($0) }.sorted()
        self.configuration = configuration
        self.later = later
        self.reloaded = applied.filter { running.connections[$0] != nil }
        self.added = applied.filter { running.connections[$0] == nil }
    }
}
