import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

/// Shell completion candidates that depend on the machine: job ids from the spool and connection names from the
/// configuration. They are computed when the user presses TAB (the shell runs `enrichctl ---completion …`), never
/// when the script is generated (`enrichctl --generate-completion-script bash|zsh|fish`, which `make install`
/// does).
enum Completions {
    /// Where jobs can be, for the commands that take a job id.
    enum Places {
        case active, queued, done, cancelled, failed
    }

    /// Ids of the jobs in `places` starting with the word being completed. The spool is the one `--spool` or
    /// `--config` name on the command line, else the default configuration's.
    static func jobs(_ places: Places...) -> CompletionKind {
        .custom { words, _, prefix in
            guard let layout = try? self.options(in: words).layout() else { return [] }
            return self.jobIDs(places, in: layout).filter { $0.hasPrefix(prefix) }
        }
    }

    /// The connection names of the configuration `--config` names (or the default one).
    static var connections: CompletionKind {
        .custom { words, _, prefix in
            let path = self.value(of: "--config", in: words) ?? DaemonConfiguration.defaultPath
            guard let configuration = try? DaemonConfiguration.load(path: path) else { return [] }
            return configuration.connections.keys.filter { $0.hasPrefix(prefix) }.sorted()
        }
    }

    static func jobIDs(_ places: [Places], in layout: SpoolLayout) -> [String] {
        func entries(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: layout.path(folder))) ?? [])
                .filter { !SpoolLayout.isIgnored($0) }
        }
        var ids: Set<String> = []
        for place in places {
            switch place {
            case .active: ids.formUnion(entries("active"))
            case .queued: ids.formUnion(entries("incoming").map { $0.hasSuffix(".json") ? String($0.dropLast(5)) : $0 })
            case .done: ids.formUnion(entries("done"))
            case .failed: ids.formUnion(entries("failed"))
            case .cancelled:
                struct Outcome: Decodable { var state: ResultSummary.State }
                ids.formUnion(entries("done").filter { id in
                    guard let data = FileManager.default.contents(atPath: layout.done(id) + "/result.json"),
                        let outcome = try? JSONDecoder().decode(Outcome.self, from: data)
                    else { return false }
                    return outcome.state == .cancelled
                })
            }
        }
        return ids.filter(SpoolLayout.isValidID).sorted()
    }

    /// `--spool` and `--config` as typed on the command line being completed.
    static func options(in words: [String]) -> SpoolOptions {
        // (Built, not parsed: every property must be set, a default is not read from an unparsed @Option.)
        var options = SpoolOptions()
        options.spool = self.value(of: "--spool", in: words)
        options.config = self.value(of: "--config", in: words) ?? DaemonConfiguration.defaultPath
        return options
    }

    /// The value of `--name VALUE` or `--name=VALUE` (the last one given), unquoted as a shell would, with `~/`
    /// expanded.
    static func value(of name: String, in words: [String]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if word == name, index + 1 < words.count {
                found = words[index + 1]
            } else if word.hasPrefix(name + "=") {
                found = String(word.dropFirst(name.count + 1))
            }
        }
        guard var value = found else { return nil }
        if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        if value.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            value = home + value.dropFirst()
        }
        return value.isEmpty ? nil : value
    }
}
