import Foundation

/// Chromium, headless, for tests that need a real browser's layout: the page is loaded in a frame of the size
/// asked for, a script measures it once it has loaded, and what the script returns comes back as JSON.
///
/// The page is framed rather than loaded as the window because headless Chromium makes no window narrower than
/// 500 pixels: a frame is a real viewport of any width (media queries, `innerWidth` and layout inside it follow
/// the frame). The measurement crosses from the frame to the top document by `postMessage` (a `file://` page is
/// its own origin) and is read back from the DOM that `--dump-dom` prints.
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

    /// Loads `html` in a `width`×`height` CSS-pixel frame and returns what `script` returns, decoded.
    ///
    /// `script` is the body of a JavaScript function that runs in the page after its `load` event and returns a
    /// JSON-serializable value; an exception it throws becomes ``HeadlessBrowserError/scriptFailed(_:)``.
    public func measure<Measurement: Decodable>(
        _ html: String, width: Int, height: Int, script: String, as type: Measurement.Type = Measurement.self,
        timeout: TimeInterval = 90
    ) throws -> Measurement {
        let directory = try TemporaryDirectory("enrichd-browser")
        defer { directory.remove() }
        // The page as written, with the measuring script after everything it holds.
        try directory.write("page.html", html + """
            <script>
            addEventListener("load", () => {
                let message;
                try { message = {value: (() => { \(script) })()}; } catch (error) { message = {error: String(error)}; }
                parent.postMessage(JSON.stringify(message), "*");
            });
            </script>
            """)
        try directory.write("frame.html", """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><style>html,body{margin:0}iframe{display:block;border:0}</style></head>
            <body><iframe src="page.html" width="\(width)" height="\(height)"></iframe><pre id="measured"></pre>
            <script>
            addEventListener("message", (event) => { document.getElementById("measured").textContent = event.data; });
            </script>
            </body></html>
            """)
        let dump = try self.dumpDOM(
            of: directory.file("frame.html"), windowWidth: max(width, 500), windowHeight: height + 100,
            profile: directory.file("profile"), output: directory.file("dom.html"), timeout: timeout)
        guard let start = dump.range(of: "<pre id=\"measured\">"),
              let end = dump.range(of: "</pre>", range: start.upperBound..<dump.endIndex),
              start.upperBound < end.lowerBound
        else { throw HeadlessBrowserError.noMeasurement(domTail: String(dump.suffix(2_000))) }
        let json = Self.unescapeText(String(dump[start.upperBound..<end.lowerBound]))
        let message = try JSONDecoder().decode(Message<Measurement>.self, from: Data(json.utf8))
        if let error = message.error { throw HeadlessBrowserError.scriptFailed(error) }
        guard let value = message.value else { throw HeadlessBrowserError.noMeasurement(domTail: json) }
        return value
    }

    private struct Message<Value: Decodable>: Decodable {
        var value: Value?
        var error: String?
    }

    /// Runs the browser on `file` and returns the DOM it prints after the page's timers have run.
    private func dumpDOM(of file: String, windowWidth: Int, windowHeight: Int, profile: String, output: String,
                         timeout: TimeInterval) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.executable)
        process.arguments = [
            // Tests run as root in CI, where Chromium's sandbox cannot start.
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile)", "--window-size=\(windowWidth),\(windowHeight)",
            // Virtual time: the load event, the frame's message and the dump happen in order, without waiting.
            "--virtual-time-budget=10000", "--dump-dom", URL(fileURLWithPath: file).absoluteString,
        ]
        // Files, not pipes: a dump larger than a pipe's buffer would block the browser until we read it, and
        // Chromium logs freely on stderr.
        let errors = output + ".stderr"
        for path in [output, errors] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 10)
            throw HeadlessBrowserError.timedOut(seconds: timeout)
        }
        guard process.terminationStatus == 0 else {
            let log = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw HeadlessBrowserError.failed(status: process.terminationStatus, stderr: String(log.suffix(2_000)))
        }
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    /// The text of an element as the DOM serializer writes it (it escapes `&`, `<`, `>` and no-break spaces).
    static func unescapeText(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Why a page could not be measured.
public enum HeadlessBrowserError: Error, CustomStringConvertible {
    case missing(ci: Bool)
    case timedOut(seconds: TimeInterval)
    case failed(status: Int32, stderr: String)
    case noMeasurement(domTail: String)
    case scriptFailed(String)

    public var description: String {
        switch self {
        case .missing(let ci):
            "chromium is not on PATH: install it (apt-get install -y --no-install-recommends chromium)"
                + (ci ? "; CI=true, so the browser tests fail rather than skip" : "")
        case .timedOut(let seconds):
            "chromium did not finish within \(Int(seconds)) s (killed)"
        case .failed(let status, let stderr):
            "chromium exited with status \(status):\n\(stderr)"
        case .noMeasurement(let domTail):
            "the page reported no measurement (did it load? did the script run?); the dumped DOM ends:\n\(domTail)"
        case .scriptFailed(let message):
            "the measuring script threw: \(message)"
        }
    }
}
