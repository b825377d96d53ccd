import Foundation

/// A running `leadspace-sandbox serve` process on a free loopback port.
public final class SandboxServer: @unchecked Sendable {
    public let child: ChildProcess
    public let baseURL: String

    /// `stderrPath`: where the sandbox's log goes (a fresh file under /tmp when `nil`).
    public init(_ arguments: [String] = [], stderrPath: String? = nil) throws {
        self.child = try ChildProcess(BuiltProducts.sandbox, ["serve", "--port", "0"] + arguments, stderrPath: stderrPath)
        guard let line = self.child.firstLine(), line.hasPrefix("listening on ") else {
            self.child.terminate()
            throw SandboxError(message: "leadspace-sandbox did not start: \(self.child.standardError())")
        }
        self.baseURL = String(line.dropFirst("listening on ".count))
    }

    public struct SandboxError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { self.message }
    }

    /// `GET /sandbox/stats` as a dictionary.
    public func stats() throws -> [String: Any] {
        let result = try ChildProcess.run("/usr/bin/curl", ["-sf", self.baseURL + "/sandbox/stats"])
        guard result.status == 0 else { throw SandboxError(message: "GET /sandbox/stats failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// `POST` to one of the sandbox's own endpoints (`/sandbox/oauth/expire`, `/sandbox/oauth/revoke`,
    /// `/sandbox/credits` with a JSON body).
    public func post(_ path: String, json: String? = nil) throws {
        let body = json.map { ["-H", "Content-Type: application/json", "-d", $0] } ?? []
        let result = try ChildProcess.run("/usr/bin/curl", ["-sf", "-X", "POST"] + body + [self.baseURL + path])
        guard result.status == 0 else { throw SandboxError(message: "POST \(path) failed: \(result.stderr)") }
    }

    public func recordsBilled() throws -> Int {
        (try self.stats()["recordsBilled"] as? Int) ?? -1
    }

    public func stop() {
        self.child.terminate()
    }
}
