import Foundation
import POSIX
import Testing

/// A child in its own process group: its environment is exactly the one given, it inherits no descriptor and no
/// blocked signal, and signalling its group reaches what it started.
struct SpawnedProcessTests {
    /// The child's stdout and stderr up to end of file (every writer gone), waiting at most `timeout` seconds.
    static func output(of child: SpawnedProcess, timeout: Int32 = 60_000) -> String? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var descriptor = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, timeout) == 1 else { return nil }
            let count = read(child.output, &chunk, chunk.count)
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            if count > 0 { bytes += chunk.prefix(count) }
        }
    }

    @Test func theEnvironmentIsExactlyTheOneGivenAndStdinIsEmpty() throws {
        let child = try SpawnedProcess.spawn(["/usr/bin/env"], environment: ["ENRICHD_JOB_ID": "a1", "PATH": "/bin"])
        defer { close(child.output) }
        let output = try #require(Self.output(of: child))
        #expect(child.waitForExit() == .exited(0))
        child.reap()
        #expect(output.split(separator: "\n").sorted() == ["ENRICHD_JOB_ID=a1", "PATH=/bin"])

        let reader = try SpawnedProcess.spawn(["/bin/sh", "-c", "wc -c; pwd"], environment: [:])
        defer { close(reader.output) }
        #expect(Self.output(of: reader)?.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["0", "/"])
        #expect(reader.waitForExit() == .exited(0))
        reader.reap()
    }

    @Test func noDescriptorAndNoBlockedSignalIsInherited() throws {
        // An open file without O_CLOEXEC, a blocked signal, as the daemon has (its signalfd's signals), and an ignored
        // one (ignored signals stay ignored across exec unless reset); SIGUSR2 is used nowhere else.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        let disposition = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, disposition) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        // Each program reads its own /proc entry: a shell in between would show its own mask, which dash changes
        // while it forks.
        func run(_ arguments: [String]) throws -> (pid: pid_t, lines: [String]) {
            let child = try SpawnedProcess.spawn(arguments, environment: [:])
            defer { close(child.output) }
            let output = Self.output(of: child) ?? "<no end of file>"
            #expect(child.waitForExit() == .exited(0), "\(arguments): \(output)")
            child.reap()
            return (child.pid, output.split(separator: "\n").map(String.init))
        }
        // ls's own descriptors: the three standard ones and the directory it reads.
        let descriptors = try run(["/usr/bin/ls", "/proc/self/fd"]).lines
        #expect(Set(descriptors) == ["0", "1", "2", "3"], "\(descriptors)")
        let status = try run(["/usr/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"]).lines
        func signals(_ name: String) -> UInt64? {
            status.first { $0.hasPrefix(name + ":\t") }.flatMap { UInt64($0.dropFirst(name.count + 2), radix: 16) }
        }
        #expect(signals("SigBlk") == 0, "\(status)")
        // Signals 1-31 at their defaults (glibc keeps its own real-time signals 32 and 33 ignored).
        #expect(signals("SigIgn").map { $0 & 0x7FFF_FFFF } == 0, "\(status)")
        let group = try run(["/usr/bin/cut", "-d", " ", "-f5", "/proc/self/stat"])
        #expect(group.lines == ["\(group.pid)"], "its own process group: \(group.lines)")
    }

    @Test func signallingTheGroupReachesWhatTheChildStarted() throws {
        // sh waits for a background sleep; both hold the pipe, so end of file means both are gone.
        let child = try SpawnedProcess.spawn(["/bin/sh", "-c", "sleep 300 & echo started; wait"], environment: ["PATH": "/bin:/usr/bin"])
        defer { close(child.output) }
        var descriptor = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 60_000) == 1)
        child.signalGroup(SIGTERM)
        #expect(Self.output(of: child)?.contains("started") == true)
        #expect(child.waitForExit() == .signalled(SIGTERM))
        child.reap()
        #expect(SpawnedProcess.Termination.signalled(SIGTERM).description == "was killed by signal 15 (SIGTERM)")
    }

    @Test func aProgramThatCannotRunIsAnErrorOfTheSpawn() {
        #expect(throws: SpawnedProcess.Failure(program: "/nonexistent/hook", errno: ENOENT)) {
            try SpawnedProcess.spawn(["/nonexistent/hook"], environment: [:])
        }
        #expect(throws: SpawnedProcess.Failure(program: "/etc/passwd", errno: EACCES)) {
            try SpawnedProcess.spawn(["/etc/passwd"], environment: [:])
        }
        #expect(SpawnedProcess.Failure(program: "/x", errno: ENOENT).description == "/x: No such file or directory")
    }
}
