import Foundation

/// Runs a program on a pseudo-terminal of a given size, as a person's terminal would run it: through
/// util-linux's `script`, which gives the program a pty and copies what it writes. `stty` sets the size first.
public enum PseudoTerminal {
    /// What the program wrote to the terminal (line ends are the terminal's `\r\n`) and its exit status.
    public static func run(_ executable: String, _ arguments: [String], columns: Int, rows: Int = 50)
        throws -> (status: Int32, output: String)
    {
        let command = "stty cols \(columns) rows \(rows); exec " + ([executable] + arguments).map(Self.quoted).joined(separator: " ")
        // -q: no start and end lines; -e: the program's exit status; -c: the command; /dev/null: no typescript.
        let child = try ChildProcess("/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["TERM": "xterm"])
        let (status, output) = child.finish()
        return (status, output)
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
