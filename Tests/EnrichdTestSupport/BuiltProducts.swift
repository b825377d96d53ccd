import Foundation

/// Paths of the package's executables, built next to the test bundle (`swift build` builds them).
public enum BuiltProducts {
    public static var directory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent
    }

    public static func path(_ name: String) -> String {
        (self.directory as NSString).appendingPathComponent(name)
    }

    public static var enrichd: String { self.path("enrichd") }
    public static var enrichctl: String { self.path("enrichctl") }
    public static var sandbox: String { self.path("leadspace-sandbox") }
}
