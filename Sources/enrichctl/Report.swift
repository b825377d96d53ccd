import ArgumentParser
import Formats
import Jobs
import Foundation
import Spool

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a finished job's results: enriched N of M profiles, confidence mix, field coverage.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.done))
    var id: String

    func run() throws {
        let layout = try self.spoolOptions.layout()
        let directory = layout.done(self.id)
        guard let data = FileManager.default.contents(atPath: directory + "/result.json") else {
            throw ValidationError("\(self.id) has no results (is it finished? see enrichctl list)")
        }
        let result = try JSONDecoder().decode(ResultSummary.self, from: data)
        let preview = ReportPage.preview(path: directory + "/" + result.outputs.table, rows: 5)
        for line in ResultView.lines(result, directory: directory) { print(line) }
        if !preview.rows.isEmpty {
            print("Preview (first \(preview.rows.count) rows):")
            let shown = ["CustomerId", "AddressType", "EnrichmentStatus", "Reason", "MatchConfidence", "CompanyName",
                         "Website", "Industry", "Country", "Paid"]
            let indexes = shown.compactMap { preview.header.firstIndex(of: $0) }
            let table = [indexes.map { preview.header[$0] }]
                + preview.rows.map { row in indexes.map { TerminalText.escaped(row[$0]) } }
            let widths = indexes.indices.map { column in min(28, table.map { $0[column].count }.max() ?? 0) }
            for row in table {
                print("  " + row.enumerated().map { column, value in
                    String(value.prefix(28)).padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
            }
        }
        // Rewrite the page from result.json when permitted (the daemon wrote it at completion).
        let page = ReportPage.render(result, preview: ReportPage.preview(path: directory + "/" + result.outputs.table))
        if (try? DurableFile.write(Array(page.utf8), to: directory + "/report.html")) != nil {
            print("Report page:  \(directory)/report.html")
        }
    }
}

/// The terminal rendering of a job's results (Customer Insights' results view).
enum ResultView {
    static func number(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    static func lines(_ result: ResultSummary, directory: String) -> [String] {
        let customers = result.customers
        let headline = customers.headline
        var lines = [
            "\(result.name) (\(result.id)): \(result.state.rawValue)",
            "Enriched \(number(headline.enriched)) of \(number(headline.total)) profiles "
                + "(\(String(format: "%.1f", headline.percent))%)",
        ]
        for warning in result.warnings ?? [] { lines.append("  warning: \(TerminalText.escaped(warning))") }
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
        lines.append("Field coverage (of enriched rows):")
        for column in CompanyOutputTable.coverageColumns {
            let count = result.fieldCoverage[column] ?? 0
            let share = customers.enriched == 0 ? 0 : Double(count) / Double(customers.enriched)
            let bar = String(repeating: "█", count: Int((share * 20).rounded()))
            lines.append("  \(column.padding(toLength: 19, withPad: " ", startingAt: 0)) "
                + "\(bar.padding(toLength: 20, withPad: "·", startingAt: 0)) \(String(format: "%5.1f", share * 100))%")
        }
        lines.append("Output table: \(directory)/\(result.outputs.table)")
        lines.append("Errors:       \(directory)/\(result.outputs.errors)")
        return lines
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the daemon to cancel a job; an active one ends as cancelled with the outputs it has.")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.active, .queued))
    var id: String

    func run() throws {
        let layout = try self.spoolOptions.layout()
        guard SpoolLayout.isValidID(self.id) else { throw ValidationError("\"\(self.id)\" is not a job id") }
        // Only a queued or active job can be cancelled: a request left for anything else would wait in control/
        // and cancel a later job with the same id (a retry).
        func exists(_ path: String) -> Bool {
            var status = stat()
            return lstat(path, &status) == 0
        }
        let queued = exists(layout.path("incoming", self.id)) || exists(layout.path("incoming", "\(self.id).json"))
        guard queued || exists(layout.active(self.id)) else {
            if exists(layout.done(self.id)) {
                throw ValidationError("\(self.id) has finished (done/\(self.id)): there is nothing to cancel")
            }
            if exists(layout.failed(self.id)) {
                throw ValidationError("\(self.id) has failed or was cancelled (failed/\(self.id)): there is nothing to cancel")
            }
            throw ValidationError("no queued or active job \(self.id) (enrichctl list shows the jobs)")
        }
        let request = layout.path("control", "cancel-\(self.id)")
        guard FileManager.default.createFile(atPath: request, contents: nil) else {
            throw ValidationError("cannot write \(request) (are you in the enrichd-submit group?)")
        }
        print("cancel requested for \(self.id)")
    }
}

struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Requeue a failed or cancelled job (answers already paid for are kept and not paid again).")

    @OptionGroup var spoolOptions: SpoolOptions

    @Argument(help: "The job id.", completion: Completions.jobs(.failed, .cancelled))
    var id: String

    func run() throws {
        let layout = try self.spoolOptions.layout()
        do {
            print("requeued \(try JobRetrier.retry(id: self.id, layout: layout))")
        } catch let error as JobRetrier.Failure {
            throw ValidationError(error.description)
        }
    }
}
