import Enrichment
import Foundation
import Systemd

/// Loads a connection's Leadspace token from a systemd credential or a private file.
public enum TokenLoader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func load(_ connection: ConnectionConfiguration, name: String) throws(Failure) -> String {
        if let credential = connection.tokenCredential {
            guard let path = SystemdCredentials.path(of: credential) else {
                if let file = connection.tokenFile { return try self.read(file, connection: name, checkMode: true) }
                throw Failure(description: "connection \"\(name)\": tokenCredential \"\(credential)\" is set but "
                    + "$CREDENTIALS_DIRECTORY is not (run under systemd with LoadCredential=\(credential):PATH, or set tokenFile)")
            }
            // systemd's credentials directory is private to the service; its mode is systemd's business.
            return try self.read(path, connection: name, checkMode: false)
        }
        if let file = connection.tokenFile {
            return try self.read(file, connection: name, checkMode: true)
        }
        throw Failure(description: "connection \"\(name)\" has no token: set tokenCredential or tokenFile")
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
