import ArgumentParser

/// `leadspace-sandbox`: a Leadspace API emulator with a seeded company directory.
@available(macOS 10.15, *)  // ArgumentParser runs an async root only when it carries an availability attribute.
struct LeadspaceSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadspace-sandbox",
        abstract: "Emulates the Leadspace enrichment API over a deterministic, seeded company directory.",
        subcommands: [ServeCommand.self, ExportCommand.self, SampleCommand.self]
    )
}

/// Runs an async root command; inside this generic function `main()` can only be the async overload, whereas
/// top-level code picks the synchronous one, which refuses to run async subcommands.
func runAsyncRoot<Root: AsyncParsableCommand>(_ root: Root.Type) async {
    await root.main()
}

await runAsyncRoot(LeadspaceSandboxCommand.self)
