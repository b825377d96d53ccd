import ArgumentParser

/// `leadspace-sandbox`: a Leadspace API emulator with a seeded company directory.
struct LeadspaceSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadspace-sandbox",
        abstract: "Emulates the Leadspace enrichment API over a deterministic, seeded company directory.",
        subcommands: [ServeCommand.self, ExportCommand.self, SampleCommand.self]
    )
}

// The async overload must be named: top-level code would otherwise resolve to the synchronous `main()`, which
// cannot run the asynchronous `serve`.
let entryPoint: () async -> Void = LeadspaceSandboxCommand.main
await entryPoint()
