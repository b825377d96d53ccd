import Foundation

/// Reads credentials passed with `LoadCredential=`/`SetCredential=` from `$CREDENTIALS_DIRECTORY`.
public enum SystemdCredentials {
    /// The directory systemd placed this service's credentials in, if any.
    public static var directory: String? {
        guard let directory = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty
        else { return nil }
        return directory
    }

    /// The path of the credential with that name, when a credentials directory exists.
    public static func path(of name: String) -> String? {
        guard let directory = self.directory else { return nil }
        return (directory as NSString).appendingPathComponent(name)
    }
}
