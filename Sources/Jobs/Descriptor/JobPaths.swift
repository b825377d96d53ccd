import Formats
import Foundation

/// Resolves the file names a descriptor gives, refusing any that would leave the job bundle or the configured
/// input roots: `..` components, absolute paths elsewhere, and symbolic links pointing out.
public enum JobPaths {
    public static func resolve(
        _ name: String,
        bundle: String,
        inputRoots: [String],
        keyPath: String
    ) throws(JobError) -> String {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.contains("\0") else {
            throw JobError(.invalidValue, "empty file name", file: "job.json", keyPath: keyPath)
        }
        if components.contains("..") {
            throw JobError(.pathNotAllowed, "\"\(name)\" contains '..'", file: "job.json", keyPath: keyPath,
                           hint: "name files inside the job bundle, e.g. \"accounts.csv\"")
        }
        let allowedRoots: [String]
        let candidate: String
        if name.hasPrefix("/") {
            let roots = inputRoots.map(Self.canonical)
            guard roots.contains(where: { Self.isInside(name, $0) }) else {
                throw JobError(.pathNotAllowed, "absolute path \"\(name)\" is outside the allowed input roots",
                               file: "job.json", keyPath: keyPath,
                               hint: inputRoots.isEmpty
                                   ? "put the file in the job bundle and name it relatively (no input roots are configured)"
                                   : "allowed roots: \(inputRoots.joined(separator: ", "))")
            }
            allowedRoots = roots
            candidate = name
        } else {
            allowedRoots = [Self.canonical(bundle)]
            candidate = (bundle as NSString).appendingPathComponent(name)
        }
        // Symbolic links anywhere on the way must still land inside an allowed root.
        if let real = Self.realpath(candidate), !allowedRoots.contains(where: { Self.isInside(real, $0) }) {
            throw JobError(.pathNotAllowed, "\"\(name)\" is a symbolic link leading outside the job bundle",
                           file: "job.json", keyPath: keyPath, hint: "copy the file into the bundle instead of linking it")
        }
        return candidate
    }

    static func canonical(_ path: String) -> String {
        Self.realpath(path) ?? (path as NSString).standardizingPath
    }

    static func realpath(_ path: String) -> String? {
        guard let resolved = Foundation.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
