import Enrichment
import Systemd

extension TokenLoader {
    /// Loads a connection's OAuth secret from a systemd credential (`secretCredential`) or a private file
    /// (`secretFile`, refused when readable by group or others), as ``load(_:name:)`` does for tokens.
    public static func loadSecret(_ connection: ConnectionConfiguration, name: String) throws(Failure) -> String {
        if let credential = connection.secretCredential {
            guard let path = SystemdCredentials.path(of: credential) else {
                if let file = connection.secretFile { return try self.read(file, connection: name, checkMode: true, kind: "secret file") }
                throw Failure(description: "connection \"\(name)\": secretCredential \"\(credential)\" is set but "
                    + "$CREDENTIALS_DIRECTORY is not (run under systemd with LoadCredential=\(credential):PATH, or set secretFile)")
            }
            return try self.read(path, connection: name, checkMode: false, kind: "secret file")
        }
        if let file = connection.secretFile {
            return try self.read(file, connection: name, checkMode: true, kind: "secret file")
        }
        throw Failure(description: "connection \"\(name)\" has an OAuth programId but no secret: set secretCredential or secretFile")
    }
}
