import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Chromium, headless, for tests that need a real browser: a page is loaded in a viewport of the size asked for,
/// a script measures it once it has loaded, and what the script returns comes back decoded, with what the page
/// did meanwhile: its console messages and errors, and every request it made.
///
/// The browser is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages ended by
/// a NUL, read on its fd 3, written on its fd 4), so what is reported comes from the browser itself, attributed
/// to the page: console calls and uncaught exceptions (`Runtime`), the browser's own errors about the page such
/// as a resource that failed to load (`Log`), and each request (`Network`, `file:` and `data:` ones too) — not
/// from a script in the page, which a page could defeat, and not from Chromium's log, which mixes in its own
/// traffic and states no level. The viewport is emulated (`Emulation.setDeviceMetricsOverride`): headless
/// Chromium makes no window narrower than 500 pixels, an emulated viewport is of any width, and media queries
/// and `innerWidth` follow it. The page is not changed: the measuring script is evaluated in it after `load`.
public struct HeadlessBrowser: Sendable {
    /// The browser's executable.
    public let executable: String

    /// The browser on `PATH`, or ``HeadlessBrowserError/missing`` (say how to install it).
    public init() throws {
        guard let executable = Self.locate() else { throw HeadlessBrowserError.missing(ci: Self.isCI) }
        self.executable = executable
    }

    /// Whether tests that need the browser run: when it is installed, and always under `CI=true`, where a
    /// missing browser fails them (``init()`` throws) instead of skipping them.
    public static var isInstalledOrRequired: Bool { Self.locate() != nil || Self.isCI }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func locate() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// A message the page's console got, or an error the browser reported about the page.
    public struct ConsoleEntry: Sendable, Equatable, CustomStringConvertible {
        /// `console.*`'s type (`log`, `warning`, `error`, `assert`…), `exception` for an uncaught one, or a
        /// browser log entry's level (`verbose`, `info`, `warning`, `error`).
        public var level: String
        public var text: String
        /// Where it comes from: `console-api`, `javascript` (an exception), or the log entry's source
        /// (`network`, `security`…).
        public var source: String

        /// Whether DevTools shows it as an error (red).
        public var isError: Bool { ["error", "assert", "exception"].contains(self.level) }

        public var description: String { "\(self.source) \(self.level): \(self.text)" }
    }

    /// What a page did while it loaded and was measured.
    public struct Visit<Measurement> {
        /// What the measuring script returned.
        public var value: Measurement
        /// Every console message and browser log entry about the page, in order.
        public var console: [ConsoleEntry]
        /// The URL of every request the page made (its own navigation left out), in order.
        public var requests: [String]

        /// The entries DevTools shows as errors.
        public var consoleErrors: [ConsoleEntry] { self.console.filter(\.isError) }
    }

    /// Loads `html` in a `width`×`height` CSS-pixel viewport and returns what `script` returns, decoded.
    ///
    /// `script` is the body of a JavaScript function that runs in the page after its `load` event and returns a
    /// JSON-serializable value; an exception it throws becomes ``HeadlessBrowserError/scriptFailed(_:)``.
    public func measure<Measurement: Decodable>(
        _ html: String, width: Int, height: Int, script: String, as type: Measurement.Type = Measurement.self,
        timeout: TimeInterval = 90
    ) throws -> Measurement {
        try self.visit(html, width: width, height: height, script: script, as: type, timeout: timeout).value
    }

    /// Loads `html` (written as `page.html` in a directory of its own, so relative references resolve there)
    /// like ``visit(file:width:height:script:as:timeout:)``.
    public func visit<Measurement: Decodable>(
        _ html: String, width: Int, height: Int, script: String, as type: Measurement.Type = Measurement.self,
        timeout: TimeInterval = 90
    ) throws -> Visit<Measurement> {
        let directory = try TemporaryDirectory("enrichd-browser")
        defer { directory.remove() }
        let page = try directory.write("page.html", html)
        return try self.visit(file: page, width: width, height: height, script: script, as: type, timeout: timeout)
    }

    /// Loads the file at `path` as it is in a `width`×`height` CSS-pixel viewport, runs `script` in it after
    /// `load` and returns what it returned, with the console messages and requests of the page.
    public func visit<Measurement: Decodable>(
        file path: String, width: Int, height: Int, script: String, as type: Measurement.Type = Measurement.self,
        timeout: TimeInterval = 90
    ) throws -> Visit<Measurement> {
        let directory = try TemporaryDirectory("enrichd-browser-run")
        defer { directory.remove() }
        let url = URL(fileURLWithPath: path).absoluteString
        let session = try DevToolsSession(
            executable: self.executable, directory: directory, deadline: Date().addingTimeInterval(timeout),
            timeout: timeout)
        defer { session.end() }
        let target = try session.call("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw session.unexpected("no targetId", target) }
        let attached = try session.call("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let page = attached["sessionId"] as? String else { throw session.unexpected("no sessionId", attached) }
        for domain in ["Page", "Runtime", "Log", "Network"] { _ = try session.call("\(domain).enable", session: page) }
        _ = try session.call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], session: page)
        let navigationStart = session.events.count
        let navigation = try session.call("Page.navigate", ["url": url], session: page)
        if let failure = navigation["errorText"] as? String { throw HeadlessBrowserError.navigationFailed(failure) }
        try session.waitForEvent("Page.loadEventFired", session: page, after: navigationStart)
        let evaluated = try session.call(
            "Runtime.evaluate",
            ["expression": "JSON.stringify((() => { \(script) })())", "returnByValue": true], session: page)
        if let exception = evaluated["exceptionDetails"] as? [String: Any] {
            throw HeadlessBrowserError.scriptFailed(DevToolsSession.describe(exception))
        }
        guard let json = (evaluated["result"] as? [String: Any])?["value"] as? String else {
            throw HeadlessBrowserError.noMeasurement("\(evaluated)")
        }
        let value = try JSONDecoder().decode(Measurement.self, from: Data(json.utf8))
        // Every event of the load came before the evaluation's answer: the page's session keeps their order.
        var console: [ConsoleEntry] = []
        var requests: [String] = []
        for event in session.events where event.session == page {
            switch event.method {
            case "Runtime.consoleAPICalled":
                let arguments = (event.params["args"] as? [[String: Any]] ?? []).map { argument in
                    argument["value"].map { "\($0)" } ?? argument["description"] as? String
                        ?? "\(argument["type"] ?? "")"
                }
                console.append(ConsoleEntry(level: event.params["type"] as? String ?? "log",
                                            text: arguments.joined(separator: " "), source: "console-api"))
            case "Runtime.exceptionThrown":
                let details = event.params["exceptionDetails"] as? [String: Any] ?? [:]
                console.append(ConsoleEntry(level: "exception", text: DevToolsSession.describe(details),
                                            source: "javascript"))
            case "Log.entryAdded":
                let entry = event.params["entry"] as? [String: Any] ?? [:]
                let location = (entry["url"] as? String).map { " (\($0))" } ?? ""
                console.append(ConsoleEntry(level: entry["level"] as? String ?? "",
                                            text: (entry["text"] as? String ?? "") + location,
                                            source: entry["source"] as? String ?? ""))
            case "Network.requestWillBeSent":
                let request = event.params["request"] as? [String: Any] ?? [:]
                let requested = request["url"] as? String ?? ""
                let isNavigation = event.params["type"] as? String == "Document" && requested == url
                if !isNavigation { requests.append(requested) }
            default:
                break
            }
        }
        return Visit(value: value, console: console, requests: requests)
    }
}

/// One browser and its DevTools pipe: calls (a request and its response, matched by id) and the events that
/// arrive meanwhile, kept in order.
///
/// The browser's fds 3 and 4 are two FIFOs that a shell opens for it before it execs the browser (Foundation's
/// `Process` passes a child no descriptors but the standard three). This side opens its ends first and
/// non-blocking: the read end of the browser's output (a FIFO opened for reading needs no writer yet) and both
/// ends of its input (so the shell's open for reading finds a writer). Every wait is bounded by the deadline.
private final class DevToolsSession {
    struct Event {
        var method: String
        var params: [String: Any]
        var session: String?
    }

    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let stderrPath: String
    private let deadline: Date
    private let timeout: TimeInterval
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var responses: [Int: [String: Any]] = [:]
    private(set) var events: [Event] = []

    init(executable: String, directory: TemporaryDirectory, deadline: Date, timeout: TimeInterval) throws {
        self.deadline = deadline
        self.timeout = timeout
        let input = directory.file("devtools-in"), output = directory.file("devtools-out")
        for fifo in [input, output] where mkfifo(fifo, 0o600) != 0 {
            throw HeadlessBrowserError.pipe("mkfifo \(fifo): \(String(cString: strerror(errno)))")
        }
        self.fromBrowser = open(output, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        self.toBrowser = open(input, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard self.fromBrowser >= 0, self.toBrowser >= 0 else {
            let message = String(cString: strerror(errno))
            if self.fromBrowser >= 0 { close(self.fromBrowser) }
            if self.toBrowser >= 0 { close(self.toBrowser) }
            throw HeadlessBrowserError.pipe("cannot open the DevTools FIFOs: \(message)")
        }
        self.stderrPath = directory.file("stderr")
        _ = FileManager.default.createFile(atPath: self.stderrPath, contents: nil)
        self.process.executableURL = URL(fileURLWithPath: "/bin/sh")
        self.process.arguments = [
            "-c", #"in=$1 out=$2; shift 2; exec "$@" 3<"$in" 4>"$out""#, "sh", input, output, executable,
            // Tests run as root in CI, where Chromium's sandbox cannot start.
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--user-data-dir=\(directory.file("profile"))",
            "--remote-debugging-pipe",
        ]
        // A file, not a pipe: Chromium logs freely on stderr, and nobody reads it until something went wrong.
        self.process.standardError = FileHandle(forWritingAtPath: self.stderrPath)
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardInput = FileHandle.nullDevice
        let exited = self.exited
        self.process.terminationHandler = { _ in exited.signal() }
        do {
            try self.process.run()
        } catch {
            close(self.fromBrowser)
            close(self.toBrowser)
            throw error
        }
    }

    /// Closes the browser (killed if it does not exit within ten seconds) and the pipe.
    func end() {
        if self.process.isRunning {
            try? self.send(["id": -1, "method": "Browser.close"])
            if self.exited.wait(timeout: .now() + 10) == .timedOut {
                kill(self.process.processIdentifier, SIGKILL)
                _ = self.exited.wait(timeout: .now() + 10)
            }
        }
        close(self.fromBrowser)
        close(self.toBrowser)
    }

    /// Sends `method` and returns its response's `result`; an error response throws.
    func call(_ method: String, _ params: [String: Any] = [:], session: String? = nil) throws -> [String: Any] {
        self.nextID += 1
        let id = self.nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        try self.send(message)
        while self.responses[id] == nil { try self.receive() }
        let response = self.responses.removeValue(forKey: id)!
        if let error = response["error"] as? [String: Any] {
            throw HeadlessBrowserError.protocolError(method: method, "\(error["message"] ?? error)")
        }
        return response["result"] as? [String: Any] ?? [:]
    }

    /// Waits for `method` from `session` among the events after the first `start`.
    func waitForEvent(_ method: String, session: String, after start: Int) throws {
        var seen = start
        while true {
            if self.events[seen...].contains(where: { $0.method == method && $0.session == session }) { return }
            seen = self.events.count
            try self.receive()
        }
    }

    func unexpected(_ what: String, _ message: [String: Any]) -> HeadlessBrowserError {
        .protocolError(method: what, "\(message)")
    }

    /// An exception's text and its value (`Uncaught Error: boom`).
    static func describe(_ details: [String: Any]) -> String {
        let text = details["text"] as? String ?? ""
        let exception = (details["exception"] as? [String: Any])?["description"] as? String
        return [text, exception].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private func send(_ message: [String: Any]) throws {
        let bytes = Array(try JSONSerialization.data(withJSONObject: message)) + [0]
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(self.toBrowser, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno != EAGAIN, errno != EINTR {
                throw HeadlessBrowserError.pipe("write: \(String(cString: strerror(errno)))")
            } else {
                try self.waitUntilReady(self.toBrowser, for: Int16(POLLOUT))
            }
        }
    }

    /// Reads at least one complete message (a response is filed by its id, an event appended).
    private func receive() throws {
        while true {
            if let end = self.buffer.firstIndex(of: 0) {
                let data = Data(self.buffer[..<end])
                self.buffer.removeSubrange(...end)
                guard let message = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                if let id = message["id"] as? Int {
                    self.responses[id] = message
                } else if let method = message["method"] as? String {
                    self.events.append(Event(method: method, params: message["params"] as? [String: Any] ?? [:],
                                             session: message["sessionId"] as? String))
                }
                return
            }
            try self.waitUntilReady(self.fromBrowser, for: Int16(POLLIN))
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(self.fromBrowser, $0.baseAddress, $0.count) }
            if count > 0 {
                self.buffer += chunk[..<count]
            } else if count == 0 {
                // No writer left (poll says so only once one has come and gone): the browser has exited.
                _ = self.exited.wait(timeout: .now() + 10)
                throw HeadlessBrowserError.failed(status: self.process.isRunning ? -1 : self.process.terminationStatus,
                                                  stderr: self.stderrTail)
            } else if errno != EAGAIN, errno != EINTR {
                throw HeadlessBrowserError.pipe("read: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Waits until `descriptor` is ready for `event` (or hung up), within the deadline.
    private func waitUntilReady(_ descriptor: Int32, for event: Int16) throws {
        while true {
            let remaining = self.deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                kill(self.process.processIdentifier, SIGKILL)
                throw HeadlessBrowserError.timedOut(seconds: self.timeout)
            }
            var entry = pollfd(fd: descriptor, events: event, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0, errno != EINTR {
                throw HeadlessBrowserError.pipe("poll: \(String(cString: strerror(errno)))")
            }
        }
    }

    private var stderrTail: String {
        String(((try? String(contentsOfFile: self.stderrPath, encoding: .utf8)) ?? "").suffix(2_000))
    }
}

/// Why a page could not be measured.
public enum HeadlessBrowserError: Error, CustomStringConvertible {
    case missing(ci: Bool)
    case timedOut(seconds: TimeInterval)
    case failed(status: Int32, stderr: String)
    case pipe(String)
    case protocolError(method: String, String)
    case navigationFailed(String)
    case noMeasurement(String)
    case scriptFailed(String)

    public var description: String {
        switch self {
        case .missing(let ci):
            "chromium is not on PATH: install it (apt-get install -y --no-install-recommends chromium)"
                + (ci ? "; CI=true, so the browser tests fail rather than skip" : "")
        case .timedOut(let seconds):
            "chromium did not finish within \(Int(seconds)) s (killed)"
        case .failed(let status, let stderr):
            "chromium exited (status \(status)) before the page was measured:\n\(stderr)"
        case .pipe(let message):
            "the DevTools pipe to chromium failed: \(message)"
        case .protocolError(let method, let message):
            "chromium answered \(method) with an error: \(message)"
        case .navigationFailed(let message):
            "chromium could not load the page: \(message)"
        case .noMeasurement(let response):
            "the measuring script returned nothing (it must return a JSON-serializable value): \(response)"
        case .scriptFailed(let message):
            "the measuring script threw: \(message)"
        }
    }
}
