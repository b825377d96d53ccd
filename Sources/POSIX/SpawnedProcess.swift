import CLinux
import Glibc

/// A child process in a process group of its own, started with `posix_spawn(3)` for a command the daemon runs (a
/// hook): no shell, an explicit environment, stdin from `/dev/null`, stdout and stderr into one pipe the caller
/// reads, `/` as its working directory, every signal at its default disposition and none blocked (the daemon
/// blocks the signals it reads from a signalfd, and a mask is inherited across `exec`), and no other descriptor of
/// the parent's (`posix_spawn_file_actions_addclosefrom_np`: a file another thread opens without `O_CLOEXEC` at
/// that moment does not leak into the child).
///
/// The child's pid is also its process group's id. That id stays reserved until the child is reaped, so
/// ``signalGroup(_:)`` reaches only this group for as long as ``reap()`` has not been called: ``waitForExit()``
/// waits without reaping (`waitid(2)` with `WNOWAIT`), which lets the caller kill what the child left in its group
/// before giving the id back.
public struct SpawnedProcess: Sendable {
    /// The child's pid, and its process group's id.
    public let pid: pid_t
    /// The read end of the child's stdout and stderr: non-blocking, close-on-exec; the caller closes it.
    public let output: Int32

    /// How the child ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        /// `exit(status)`, `CLD_EXITED`.
        case exited(Int32)
        /// Killed by a signal (`CLD_KILLED`, `CLD_DUMPED`).
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was killed by signal \(signal) (\(Self.signalName(signal)))"
            }
        }

        /// `SIGTERM` for 15: the names a log reader knows.
        static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGHUP: "SIGHUP"
            case SIGINT: "SIGINT"
            case SIGQUIT: "SIGQUIT"
            case SIGABRT: "SIGABRT"
            case SIGKILL: "SIGKILL"
            case SIGSEGV: "SIGSEGV"
            case SIGPIPE: "SIGPIPE"
            case SIGALRM: "SIGALRM"
            case SIGTERM: "SIGTERM"
            default: String(cString: strsignal(signal))
            }
        }
    }

    /// Why a child could not be started: the `errno` of `pipe2(2)` or `posix_spawn(3)`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var program: String
        public var errno: Int32

        public init(program: String, errno: Int32) {
            self.program = program
            self.errno = errno
        }

        public var description: String { "\(self.program): \(String(cString: strerror(self.errno)))" }
    }

    /// Starts `arguments[0]` (an absolute path: no search path is used) with `arguments` as its argv.
    public static func spawn(_ arguments: [String], environment: [String: String]) throws(Failure) -> SpawnedProcess {
        precondition(!arguments.isEmpty, "a command names its program")
        let program = arguments[0]
        var pipe: [Int32] = [-1, -1]
        guard pipe2(&pipe, O_CLOEXEC) == 0 else { throw Failure(program: program, errno: Glibc.errno) }
        let (reader, writer) = (pipe[0], pipe[1])
        _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies; everything from 3 up is closed after them, the pipe included.
        posix_spawn_file_actions_adddup2(&actions, writer, 1)
        posix_spawn_file_actions_adddup2(&actions, writer, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addchdir_np(&actions, "/")
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        close(writer)
        guard status == 0 else {
            close(reader)
            throw Failure(program: program, errno: status)
        }
        return SpawnedProcess(pid: pid, output: reader)
    }

    /// Sends `signal` to every process in the child's group (`kill(-pgid, signal)`); one already gone is no error.
    public func signalGroup(_ signal: Int32) {
        _ = kill(-self.pid, signal)
    }

    /// Blocks the calling thread until the child exits, and leaves it unreaped (a zombie holding its group's id).
    public func waitForExit() -> Termination {
        var info = siginfo_t()
        while waitid(P_PID, id_t(self.pid), &info, WEXITED | WNOWAIT) != 0 {
            guard Glibc.errno == EINTR else { return .exited(-1) }
        }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? .exited(status) : .signalled(status)
    }

    /// Reaps the child once ``waitForExit()`` has returned; its pid (and group id) may then be reused.
    public func reap() {
        var status: Int32 = 0
        while waitpid(self.pid, &status, 0) < 0 && Glibc.errno == EINTR {}
    }
}
