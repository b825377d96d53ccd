import Jobs
import Foundation
import LeadspaceAPI
import Systemd

/// Loads a connection's Leadspace token from a systemd credential or a private file.
public enum TokenLoader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// Set when the only problem is that the connection's systemd credential (this name) cannot be seen:
        /// outside the service there is no `$CREDENTIALS_DIRECTORY`.
        public var unavailableCredential: String?

        init(description: String, unavailableCredential: String? = nil) {
            self.description = description
            self.unavailableCredential = unavailableCredential
        }
    }

    /// A connection's credentials: OAuth (program id + secret) or a perpetual token. `credentialFiles` stands
    /// in for `$CREDENTIALS_DIRECTORY` outside the service (credential name → the file the unit's
    /// `LoadCredential=` names), for the command-line tools.
    public static func credentials(_ connection: ConnectionConfiguration, name: String,
                                   credentialFiles: [String: String] = [:]) throws(Failure) -> LeadspaceCredentials {
        if let program = connection.programId {
            return .oauth(programID: program,
                          secret: try self.loadSecret(connection, name: name, credentialFiles: credentialFiles))
        }
        return .token(try self.load(connection, name: name, credentialFiles: credentialFiles))
    }

    public static func load(_ connection: ConnectionConfiguration, name: String,
                            credentialFiles: [String: String] = [:]) throws(Failure) -> String {
        if let credential = connection.tokenCredential {
            return try self.readCredential(credential, fallback: connection.tokenFile, connection: name,
                                           credentialFiles: credentialFiles, key: "tokenCredential",
                                           fallbackKey: "tokenFile", kind: "token file")
        }
        if let file = connection.tokenFile {
            return try self.read(file, connection: name, checkMode: true)
        }
        throw Failure(description: "connection \"\(name)\" has no token: set tokenCredential or tokenFile")
    }

    /// A systemd credential: from `$CREDENTIALS_DIRECTORY` (its mode is systemd's business), else from the file
    /// given in `credentialFiles`, else from the connection's file setting.
    static func readCredential(_ credential: String, fallback: String?, connection: String,
                               credentialFiles: [String: String], key: String, fallbackKey: String,
                               kind: String) throws(Failure) -> String {
        if let path = SystemdCredentials.path(of: credential) {
            return try self.read(path, connection: connection, checkMode: false, kind: kind)
        }
        if let path = credentialFiles[credential] {
            return try self.read(path, connection: connection, checkMode: true, kind: kind)
        }
        if let file = fallback { return try self.read(file, connection: connection, checkMode: true, kind: kind) }
        throw Failure(description: "connection \"\(connection)\": \(key) \"\(credential)\" is set but "
            + "$CREDENTIALS_DIRECTORY is not (run under systemd with LoadCredential=\(credential):PATH, or set \(fallbackKey))",
            unavailableCredential: credential)
    }

    static func read(_ path: String, connection: String, checkMode: Bool, kind: String = "token file") throws(Failure)
        -> String
    {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Failure(description: "connection \"\(connection)\": cannot read \(kind) \(path): "
                + String(cString: strerror(errno)))
        }
        if checkMode && status.st_mode & 0o077 != 0 {
            throw Failure(description: "connection \"\(connection)\": \(kind) \(path) is readable by group or others "
                + "(mode \(String(status.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw Failure(description: "connection \"\(connection)\": cannot read \(kind) \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: \.isNewline) else {
            throw Failure(description: "connection \"\(connection)\": \(kind) \(path) must hold one non-empty line")
        }
        return token
    }
}
