import Jobs

extension TokenLoader {
    /// Loads a connection's OAuth secret from a systemd credential (`secretCredential`) or a private file
    /// (`secretFile`, refused when readable by group or others), as ``load(_:name:)`` does for tokens.
    public static func loadSecret(_ connection: ConnectionConfiguration, name: String,
                                  credentialFiles: [String: String] = [:]) throws(Failure) -> String {
        if let credential = connection.secretCredential {
            return try self.readCredential(credential, fallback: connection.secretFile, connection: name,
                                           credentialFiles: credentialFiles, key: "secretCredential",
                                           fallbackKey: "secretFile", kind: "secret file")
        }
        if let file = connection.secretFile {
            return try self.read(file, connection: name, checkMode: true, kind: "secret file")
        }
        throw Failure(description: "connection \"\(name)\" has an OAuth programId but no secret: set secretCredential or secretFile")
    }
}
