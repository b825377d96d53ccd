import Credentials
import ArgumentParser
import EnrichDaemon
import Jobs
import Foundation
import Logging
import Systemd

@main
struct EnrichdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrichd",
        abstract: "Enrich B2B customer data with Leadspace: a spool-driven daemon for systemd.",
        discussion: """
            Jobs dropped into the spool's incoming/ directory are claimed, enriched through the configured \
            Leadspace connection, and written to done/ID/ (or failed/ID/ with error.json). Run it under \
            systemd (Type=notify); logs go to the journal when stderr is the journal, else to stderr.
            Exit status 78 means a configuration error (also: a spool that cannot be prepared, or running as \
            root without --allow-root); systemd does not restart the unit after it.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String = DaemonConfiguration.defaultPath

    @Option(name: .long, help: "Use this spool directory instead of the configured one.")
    var spool: String?

    @Flag(name: .long, help: "Process the queued and active jobs, then exit (75 when a connection paused: the jobs resume on the next run).")
    var once = false

    @Flag(name: .long, help: "Check the configuration and each connection's token or OAuth secret (systemd credentials only under the service), then exit: 0 when valid, 78 otherwise.")
    var checkConfig = false

    @Option(name: .long, help: "Seconds in-flight requests may take to finish after SIGTERM.")
    var drainTimeout: Int = 10

    @Flag(name: .long, help: "Run even as root (also ENRICHD_ALLOW_ROOT=1). By default root is refused: run as the enrichd user.")
    var allowRoot = false

    func run() throws {
        if self.checkConfig {
            do {
                let configuration = try DaemonConfiguration.load(path: self.config, checkingPrograms: true)
                var unchecked: [String] = []
                for (name, connection) in configuration.connections.sorted(by: { $0.key < $1.key }) {
                    let failure: TokenLoader.Failure
                    do {
                        _ = try TokenLoader.credentials(connection, name: name)
                        continue
                    } catch {
                        failure = error
                    }
                    // Checked from a shell: only the service sees its LoadCredential= files.
                    guard let credential = failure.unavailableCredential else { throw failure }
                    unchecked.append("connection \"\(name)\": systemd credential \"\(credential)\" not checked "
                        + "(only the service sees it)")
                }
                print("\(self.config): configuration is valid (\(configuration.connections.count) connection(s))")
                for line in unchecked { print(line) }
                return
            } catch {
                FileHandle.standardError.write(Data("enrichd: \(error)\n".utf8))
                throw ExitCode(Daemon.configurationErrorExitCode)
            }
        }
        if getuid() == 0 && !self.allowRoot && ProcessInfo.processInfo.environment["ENRICHD_ALLOW_ROOT"] != "1" {
            FileHandle.standardError.write(Data(("enrichd: refusing to run as root; run it as the enrichd user "
                + "(the systemd unit does), or pass --allow-root\n").utf8))
            throw ExitCode(Daemon.configurationErrorExitCode)
        }
        // Before any thread exists (Dispatch, NIO): every thread inherits the mask, and the daemon reads the
        // signals from a signalfd, so none is lost between start-up and READY=1.
        SignalWatcher.blockInEveryThread(Daemon.handledSignals)
        let level = (try? DaemonConfiguration.load(path: self.config)).flatMap { Logger.Level(rawValue: $0.logLevel) }
        LogLevelSwitch.shared.level = level ?? .info
        LoggingSystem.bootstrap(StandardErrorDestination.makeHandlerFactory(identifier: "enrichd"))
        let logger = Logger(label: "enrichd")
        let daemon: Daemon
        do {
            daemon = try Daemon(
                options: .init(configurationPath: self.config, spoolOverride: self.spool, once: self.once,
                               drainTimeout: .seconds(self.drainTimeout)),
                logger: logger)
        } catch {
            logger.critical("configuration error: \(error.description)")
            throw ExitCode(Daemon.configurationErrorExitCode)
        }
        daemon.run()
    }
}
