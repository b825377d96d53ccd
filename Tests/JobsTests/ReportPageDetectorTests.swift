import EnrichdTestSupport
import Foundation
import Synchronization
import Testing

/// The detectors the browser tests rely on, each shown to catch a page that does what the report must never do
/// (a console error, an exception, a resource that fails to load, a request), so that "none" on the report means
/// none. In ``ReportPageBrowserTests`` (one browser at a time).
extension ReportPageBrowserTests {
    /// A page with `snippet` before the end of its body.
    static func page(with snippet: String) -> String {
        ReportFixture.page.html.replacingOccurrences(of: "</main></body>", with: "</main>\(snippet)</body>")
    }

    @Test(arguments: [
        ("console.error", #"<script>console.error("injected", 42)</script>"#, "console-api error: injected 42"),
        ("exception", #"<script>throw new Error("thrown")</script>"#, "javascript exception: Uncaught Error: thrown"),
        ("missing file", #"<img src="missing.png" alt="">"#, "network error: Failed to load resource"),
    ])
    func aConsoleErrorInThePageIsCaught(kind: String, snippet: String, reported: String) throws {
        let visit = try HeadlessBrowser().visit(Self.page(with: snippet), width: 1280, height: 800, script: "return 0",
                                                as: Int.self)
        #expect(visit.consoleErrors.contains { $0.description.hasPrefix(reported) }, "\(kind): \(visit.console)")
    }

    @Test func theReportItselfLogsNothingAndRequestsNothing() throws {
        let visit = try HeadlessBrowser().visit(ReportFixture.page.html, width: 390, height: 844,
                                                script: "return document.querySelectorAll('svg').length", as: Int.self)
        #expect(visit.value >= 5)
        #expect(visit.console.isEmpty, "\(visit.console)")
        #expect(visit.requests.isEmpty, "\(visit.requests)")
    }

    @Test func aRequestFromThePageIsCaught() throws {
        let listener = try LoopbackListener()
        defer { listener.stop() }
        let remote = "http://127.0.0.1:\(listener.port)/pixel.png"
        let snippet = #"<img src="\#(remote)" alt=""><img src="missing.png" alt="">"#
            + #"<link rel="stylesheet" href="https://example.invalid/style.css">"#
        let visit = try HeadlessBrowser().visit(Self.page(with: snippet), width: 1280, height: 800, script: "return 0",
                                                as: Int.self)
        #expect(visit.requests.contains(remote), "\(visit.requests)")
        #expect(visit.requests.contains { $0.hasPrefix("file://") && $0.hasSuffix("/missing.png") },
                "\(visit.requests)")
        #expect(visit.requests.contains("https://example.invalid/style.css"), "\(visit.requests)")
        // The browser did go to the network for it: the listener was connected to.
        #expect(listener.connections >= 1)
    }
}

/// A TCP listener on 127.0.0.1 that counts the connections made to it and closes each at once, so that a request
/// to it fails fast and the page's `load` still comes.
///
final class LoopbackListener: Sendable {
    let port: UInt16
    private let socket: Int32
    private let accepted = Mutex(0)
    private let finished = DispatchSemaphore(value: 0)

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && listen(socket, 16) == 0
                    && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(socket)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        self.socket = socket
        self.port = UInt16(bigEndian: address.sin_port)
        DispatchQueue.global().async { self.acceptUntilStopped() }
    }

    /// How many connections were made so far.
    var connections: Int { self.accepted.withLock { $0 } }

    /// Stops accepting (a shut-down listening socket ends a waiting `accept`) and closes the socket.
    func stop() {
        shutdown(self.socket, Int32(SHUT_RDWR))
        self.finished.wait()
        close(self.socket)
    }

    private func acceptUntilStopped() {
        while true {
            let connection = accept(self.socket, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break
            }
            self.accepted.withLock { $0 += 1 }
            close(connection)
        }
        self.finished.signal()
    }
}
