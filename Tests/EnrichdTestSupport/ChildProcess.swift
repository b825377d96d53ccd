import Foundation

/// A child process with captured output, for system tests that run the real binaries.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPath: String
    private let ownsStderrFile: Bool
    private let lock = NSLock()
    private var stdoutBuffer = Data()
    private var lineWaiters: [(String) -> Void] = []

    /// Starts `executable` with `arguments`; stderr goes to a file (read with ``standardError()``).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                stderrPath: String? = nil) throws {
        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = arguments
        // Tests run as root in CI; the daemon refuses root unless told, so tell it.
        let environment = (environment ?? [:]).merging(["ENRICHD_ALLOW_ROOT": "1"]) { old, _ in old }
        self.process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        self.stderrPath = stderrPath ?? "/tmp/enrichd-test-stderr-\(UUID().uuidString)"
        self.ownsStderrFile = stderrPath == nil
        _ = FileManager.default.createFile(atPath: self.stderrPath, contents: nil)
        self.process.standardOutput = self.stdoutPipe
        self.process.standardError = FileHandle(forWritingAtPath: self.stderrPath)
        self.process.standardInput = FileHandle.nullDevice
        try self.process.run()
    }

    /// Runs to completion and returns (status, stdout, stderr).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil)
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        let child = try ChildProcess(executable, arguments, environment: environment)
        let output = child.stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        child.process.waitUntilExit()
        return (child.process.terminationStatus, String(decoding: output, as: UTF8.self), child.standardError())
    }

    /// Reads the rest of stdout (blocking until the process closes it), waits for the exit and returns both.
    public func finish() -> (status: Int32, stdout: String) {
        let output = self.stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        self.process.waitUntilExit()
        return (self.process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Reads stdout until the first line is complete (blocking) and returns it.
    public func firstLine() -> String? {
        var data = Data()
        let handle = self.stdoutPipe.fileHandleForReading
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty { return data.isEmpty ? nil : String(decoding: data, as: UTF8.self) }
            if chunk.first == UInt8(ascii: "\n") { return String(decoding: data, as: UTF8.self) }
            data.append(chunk)
        }
    }

    deinit {
        if self.ownsStderrFile { unlink(self.stderrPath) }
    }

    public func standardError() -> String {
        (try? String(contentsOfFile: self.stderrPath, encoding: .utf8)) ?? ""
    }

    public var pid: Int32 { self.process.processIdentifier }

    public func signal(_ number: Int32) {
        kill(self.process.processIdentifier, number)
    }

    /// Waits for exit and returns the status (the signal number when killed by one).
    @discardableResult
    public func wait() -> Int32 {
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    public func terminate() {
        if self.process.isRunning {
            self.signal(SIGTERM)
            self.process.waitUntilExit()
        }
    }
}
