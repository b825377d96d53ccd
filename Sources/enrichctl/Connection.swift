import Credentials
import ArgumentParser
import AsyncHTTPClient
import Formats
import Jobs
import Foundation
import LeadspaceAPI
import Logging

struct Connection: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Leadspace connections of the daemon's configuration.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that Leadspace accepts a connection's credentials (one lookup: costs one credit).",
            discussion: """
                Exit status: 0 OK, 2 invalid credentials, 3 out of credits, 4 unreachable, 1 anything else, \
                78 when the configuration is invalid or names no such connection. \
                Without NAME every configured connection is checked and the first failure's status is returned.
                """
        )

        @Option(name: .long, help: "The daemon's configuration file.", completion: .file(extensions: ["json"]))
        var config: String = DaemonConfiguration.defaultPath

        @Option(name: .long, help: "Seconds to wait for Leadspace (default: the connection's requestTimeoutMs).")
        var timeout: Double?

        @Argument(help: "The connection to check (default: all of them).", completion: Completions.connections)
        var name: String?

        @Option(name: .long, help: ArgumentHelp(
            "A systemd credential's file, as the unit's LoadCredential= gives it (only the service sees the credentials).",
            valueName: "name=path"))
        var credential: [String] = []

        var credentialFiles: [String: String] {
            Dictionary(self.credential.compactMap { entry in
                entry.firstIndex(of: "=").map { (String(entry[..<$0]), String(entry[entry.index(after: $0)...])) }
            }, uniquingKeysWith: { _, last in last })
        }

        func validate() throws {
            for entry in self.credential where !entry.contains("=") || entry.hasPrefix("=") || entry.hasSuffix("=") {
                throw ValidationError("--credential \(entry): expected NAME=PATH, as in LoadCredential=")
            }
        }

        mutating func run() async throws {
            let configuration: DaemonConfiguration
            do {
                configuration = try DaemonConfiguration.load(path: self.config)
            } catch {
                Self.fail(error.description)
            }
            let names: [String]
            if let name = self.name {
                guard configuration.connections[name] != nil else {
                    let known = configuration.connections.keys.sorted().joined(separator: ", ")
                    Self.fail("\(self.config): no connection \"\(name)\" (configured: \(known.isEmpty ? "none" : known))")
                }
                names = [name]
            } else {
                names = configuration.connections.keys.sorted()
                guard !names.isEmpty else { Self.fail("\(self.config): no connections configured") }
            }
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            var status: Int32 = 0
            for name in names {
                let code = await self.verify(name, configuration.connections[name]!, httpClient: httpClient)
                if status == 0 { status = code }
            }
            try await httpClient.shutdown()
            if status != 0 { throw ExitCode(status) }
        }

        /// Checks one connection, prints its line and returns its exit status.
        private func verify(_ name: String, _ connection: ConnectionConfiguration, httpClient: HTTPClient) async
            -> Int32
        {
            let credentials: LeadspaceCredentials
            do {
                credentials = try TokenLoader.credentials(connection, name: name, credentialFiles: self.credentialFiles)
            } catch {
                if let credential = error.unavailableCredential {
                    Console.print("\(name): the credentials are the systemd credential \"\(credential)\", which only the service "
                        + "sees; from a shell pass --credential \(credential)=PATH (the file the unit's LoadCredential= names)")
                } else {
                    Console.print("\(name): cannot load the credentials — \(error.description)")
                }
                return 1
            }
            var logger = Logger(label: "enrichctl")
            logger.logLevel = .critical
            let client = LeadspaceClient(baseURL: connection.baseURL, credentials: credentials, httpClient: httpClient,
                                         logger: logger)
            let timeout = Duration.milliseconds(Int64((self.timeout.map { $0 * 1000 }) ?? Double(connection.requestTimeoutMs)))
            let result = await client.verify(timeout: timeout)
            let (line, code) = Self.describe(result, name: name, connection: connection)
            Console.print(line)
            return code
        }

        static func describe(_ result: VerificationResult, name: String, connection: ConnectionConfiguration)
            -> (String, Int32)
        {
            let url = connection.baseURL
            let what = connection.programId.map { "the OAuth program \($0)" } ?? "the token"
            switch result {
            case .ok:
                return ("\(name): OK — Leadspace accepted \(what) (\(url))", 0)
            case .invalidCredentials:
                if let programID = connection.programId {
                    let source = connection.secretCredential.map { "credential \($0)" }
                        ?? connection.secretFile.map { "file \($0)" } ?? "secret"
                    return ("\(name): invalid credentials — Leadspace answered 401 to program \(programID); "
                        + "check the program id and the secret (\(source)), then run: systemctl reload enrichd", 2)
                }
                let fix: String
                if let credential = connection.tokenCredential {
                    fix = "install a new token where LoadCredential=\(credential): points and run: systemctl restart enrichd"
                } else if let file = connection.tokenFile {
                    fix = "install a new token in \(file) (mode 600) and run: systemctl reload enrichd"
                } else {
                    fix = "install a new token"
                }
                return ("\(name): invalid token — Leadspace answered 401; \(fix)", 2)
            case .outOfCredits:
                return ("\(name): out of credits — Leadspace answered 427; the account's credits are spent (or the "
                    + "program id is not valid); jobs on this connection pause until credits are added (\(url))", 3)
            case .unreachable(let reason):
                return ("\(name): unreachable — \(reason) (\(url)); check baseURL, DNS, the proxy and the firewall", 4)
            case .unexpected(let reason):
                return ("\(name): unexpected answer — \(reason) (\(url))", 1)
            }
        }

        private static func fail(_ message: String) -> Never {
            Console.error("enrichctl: \(message)")
            Foundation.exit(ExitStatus.configuration.rawValue)
        }
    }
}
