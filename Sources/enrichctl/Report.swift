import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a finished job's results: enriched N of M profiles, confidence mix, field coverage, a preview.",
        discussion: """
            The report fits the terminal's width (else $COLUMNS, else 80 columns): long lines wrap, the preview \
            leaves out the columns that do not fit and names them, long values end in "…". Exit status 66 when there is no such job, 69 while it \
            is queued or running, 1 when it failed (its error is printed).
            """)

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.done))
    var id: String

    func validate() throws {
        if !SpoolLayout.isValidID(self.id) { throw ValidationError("\"\(self.id)\" is not a job id") }
    }

    func run() throws {
        let layout = try self.spoolOptions.layout()
        guard let job = JobInspector(layout: layout).snapshot(id: self.id) else {
            throw Status.noSuchJob(self.id, layout: layout)
        }
        guard let result = job.result else {
            switch job.state {
            case .failed, .cancelled:
                throw CommandFailure(.jobFailed, "\(self.id) \(job.state.words) and has no results: "
                    + (job.error?.description ?? "see enrichctl show \(self.id)"))
            case .succeeded, .completedWithWarnings:
                throw CommandFailure(.unexpected, "\(self.id) has finished but its result.json cannot be read "
                    + "(\(layout.done(self.id))/result.json)")
            case .queued, .starting, .planning, .enriching, .writing, .paused:
                throw CommandFailure(.notNow, "\(self.id) is \(job.state.words), not finished: follow it with "
                    + "enrichctl status \(self.id) --follow")
            }
        }
        let directory = job.place == .done ? layout.done(self.id) : layout.failed(self.id)
        let width = Console.width
        // A run of a saved enrichment: its history (a name that is not one is read as no enrichment: it names a
        // path).
        let enrichment = job.enrichment ?? Self.enrichment(descriptor: JobDirectory(directory).descriptor)
        let history = enrichment.flatMap(EnrichmentName.init(rawValue:)).map { name in
            RefreshHistoryEntry.entries(layout.enrichment(name.rawValue).historyLines())
        }
        let overTime = history.map { ReportPage.OverTime(history: $0, result: result) }
        for line in ResultView.lines(result, directory: directory, overTime: overTime, width: width) {
            Console.print(Console.wrap(line, width: width))
        }
        let preview = ReportPage.preview(path: directory + "/" + result.outputs.table, rows: 5)
        if !preview.rows.isEmpty {
            ResultView.preview(preview, width: width).forEach(Console.print)
        }
        // Rewrite the page from result.json when permitted (the daemon wrote it at completion).
        let page = ReportPage.render(result, preview: ReportPage.preview(path: directory + "/" + result.outputs.table),
                                     history: history)
        if (try? DurableFile.write(Array(page.utf8), to: directory + "/report.html")) != nil {
            Console.print("Report page:  \(directory)/report.html")
        }
    }
}

extension Report {
    /// The saved enrichment a finished job's descriptor names: JobInspector's snapshot of a job with results
    /// is built from result.json, which does not say.
    static func enrichment(descriptor path: String) -> String? {
        struct Names: Decodable {
            var enrichment: String?
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: JobFile.maximumDescriptorBytes) else { return nil }
        return (try? JSONDecoder().decode(Names.self, from: data))?.enrichment
    }
}

/// The terminal rendering of a job's results (Customer Insights' results view).
enum ResultView {
    static func number(_ value: Int) -> String { NumberText.grouped(value) }

    /// The results in `width` columns; with `overTime` (a run of a saved enrichment), its latest runs after the
    /// field coverage.
    static func lines(_ result: ResultSummary, directory: String, overTime: ReportPage.OverTime? = nil,
                      width: Int = 80) -> [String] {
        let customers = result.customers
        var lines = [
            "\(result.name) (\(result.id)): \(result.state.words)",
            result.headlineText,
        ]
        let reasons = result.warningReasons
        if !reasons.isEmpty {
            lines.append("Warnings:")
            lines += reasons.map { "  - \(TerminalText.escaped($0))" }
        }
        if customers.byAddressType.count > 1 {
            lines.append("  by address: " + customers.byAddressType.sorted { $0.key < $1.key }.map { kind, counts in
                "\(kind) \(number(counts.enriched)) of \(number(counts.rows))"
            }.joined(separator: ", "))
        }
        let confidence = ["High", "Medium", "Low", "VeryLow"].compactMap { level in
            customers.byConfidence[level].map { "\(level) \(number($0))" }
        }
        if !confidence.isEmpty { lines.append("  match confidence (rows): " + confidence.joined(separator: ", ")) }
        let placeholders = customers.placeholders.map { $0 > 0 ? " (\(number($0)) placeholder names)" : "" } ?? ""
        lines.append("  not enriched \(number(customers.notEnriched)), invalid input \(number(customers.invalidInput))"
            + "\(placeholders), errors \(number(customers.errors)), out of segment \(number(customers.outOfScope))")
        let lookups = result.lookups
        lines.append("  lookups: \(number(lookups.distinctKeys)) distinct, \(number(lookups.sent)) paid, "
            + "\(number(lookups.cacheHits)) from cache, \(number(lookups.savedByDedup)) saved by dedup")
        let rules = [(lookups.savedByIncompleteTwins, "by rows joining their fuller twin"),
                     (lookups.savedByNearDuplicates, "by near-duplicate spellings"),
                     (lookups.savedByPlaceAfterLegalForm, "by names ending in a legal form and their city")]
            .compactMap { saved, what in saved.flatMap { $0 > 0 ? "\(number($0)) \(what)" : nil } }
        if !rules.isEmpty { lines.append("    of them " + rules.joined(separator: ", ")) }
        if let reuse = lookups.reuseText { lines.append("  " + reuse) }
        lines.append("Field coverage (of enriched rows):")
        for column in CompanyOutputTable.coverageColumns {
            let count = result.fieldCoverage[column] ?? 0
            let share = customers.enriched == 0 ? 0 : Double(count) / Double(customers.enriched)
            let bar = String(repeating: "█", count: Int((share * 20).rounded()))
            lines.append("  \(column.padding(toLength: 19, withPad: " ", startingAt: 0)) "
                + "\(bar.padding(toLength: 20, withPad: "·", startingAt: 0)) \(String(format: "%5.1f", share * 100))%")
        }
        if let overTime { lines += overTime.textLines(width: width) }
        lines.append("Output table: \(directory)/\(result.outputs.table)")
        lines.append("Errors:       \(directory)/\(result.outputs.errors)")
        return lines
    }

    /// The columns a preview shows, most telling first: those that do not fit the width are left out.
    static let previewColumns = ["CustomerId", "EnrichmentStatus", "CompanyName", "MatchConfidence", "Website",
                                 "Industry", "Country", "Reason", "AddressType", "Paid"]

    /// The first rows of the output table in `width` columns: as many of ``previewColumns`` as fit at a readable
    /// width (values cut with "…"), and a line naming those left out.
    static func preview(_ preview: (header: [String], rows: [[String]]), width: Int) -> [String] {
        let columns = Self.previewColumns.compactMap { name in preview.header.firstIndex(of: name).map { (name, $0) } }
        let values = preview.rows.map { row in columns.map { _, index in index < row.count ? TerminalText.escaped(row[index]) : "" } }
        // Each column's natural width: its longest value or its header, at most 28.
        var widths = columns.indices.map { column in
            min(28, max(Console.columns(columns[column].0), values.map { Console.columns($0[column]) }.max() ?? 0))
        }
        let indent = 2
        let gap = 2
        func total(_ count: Int) -> Int { indent + widths.prefix(count).reduce(0, +) + gap * max(0, count - 1) }
        var shown = columns.count
        while shown > 1 && total(shown) > width { shown -= 1 }
        if total(shown) > width {
            // One column left and still too wide: it takes what there is.
            widths[0] = max(1, width - indent)
        } else if shown < columns.count, width - total(shown) - gap >= 8 {
            // Room for part of the next column: it comes in narrower, its values cut.
            widths[shown] = width - total(shown) - gap
            shown += 1
        }
        var lines = ["Preview (first \(preview.rows.count) rows\(shown < columns.count ? ", \(shown) of \(columns.count) columns" : "")):"]
        let header = columns.prefix(shown).enumerated().map { column, entry in Console.cell(entry.0, width: widths[column]) }
        lines.append(String(repeating: " ", count: indent) + header.joined(separator: "  ").trimmingTrailingSpaces)
        for row in values {
            let cells = row.prefix(shown).enumerated().map { column, value in Console.cell(value, width: widths[column]) }
            lines.append(String(repeating: " ", count: indent) + cells.joined(separator: "  ").trimmingTrailingSpaces)
        }
        if shown < columns.count {
            lines.append(Console.wrap("  (not shown here: " + columns.dropFirst(shown).map(\.0).joined(separator: ", ")
                + "; the output table has them all)", width: width))
        }
        return lines
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the daemon to cancel a job; an active one ends as cancelled with the outputs it has.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued))
    var id: String

    func validate() throws {
        if !SpoolLayout.isValidID(self.id) { throw ValidationError("\"\(self.id)\" is not a job id") }
    }

    func run() throws {
        let layout = try self.spoolOptions.layout()
        // Only a queued or active job can be cancelled: a request left for anything else would wait in control/
        // and cancel a later job with the same id (a retry).
        func exists(_ path: String) -> Bool {
            var status = stat()
            return lstat(path, &status) == 0
        }
        let queued = exists(layout.path("incoming", self.id)) || exists(layout.path("incoming", "\(self.id).json"))
        guard queued || exists(layout.active(self.id)) else {
            if exists(layout.done(self.id)) {
                throw CommandFailure(.notNow, "\(self.id) has finished (done/\(self.id)): there is nothing to cancel")
            }
            if exists(layout.failed(self.id)) {
                throw CommandFailure(.notNow, "\(self.id) has failed or was cancelled (failed/\(self.id)): there is nothing to cancel")
            }
            throw CommandFailure(.noSuchJob, "no queued or active job \(self.id) (enrichctl list shows the jobs)")
        }
        let request = layout.path("control", "cancel-\(self.id)")
        guard FileManager.default.createFile(atPath: request, contents: nil) else {
            throw CommandFailure(.cannotWrite, "cannot write \(request) (are you in the enrichd-submit group?)")
        }
        Console.print("cancel requested for \(self.id)")
    }
}

struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Requeue a failed or cancelled job (answers already paid for are kept and not paid again).")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.failed, .cancelled))
    var id: String

    func validate() throws {
        if !SpoolLayout.isValidID(self.id) { throw ValidationError("\"\(self.id)\" is not a job id") }
    }

    func run() throws {
        let layout = try self.spoolOptions.layout()
        do {
            Console.print("requeued \(try JobRetrier.retry(id: self.id, layout: layout))")
        } catch let error as JobRetrier.Failure {
            throw CommandFailure(error.kind == .noSuchJob ? .noSuchJob : .notNow, error.description)
        }
    }
}
