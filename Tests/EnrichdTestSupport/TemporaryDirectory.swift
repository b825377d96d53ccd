import Foundation

/// A fresh directory under /tmp, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "enrichd-test") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        self.path = String(cString: result)
    }

    public func file(_ name: String) -> String {
        (self.path as NSString).appendingPathComponent(name)
    }

    @discardableResult
    public func write(_ name: String, _ contents: String, mode: Int = 0o644) throws -> String {
        let path = self.file(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode_t(mode))
        return path
    }

    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: self.file(name), encoding: .utf8)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
