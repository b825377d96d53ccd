import Formats

/// Finds the columns a job names in an input file's header, or says why not: the column is missing (and the
/// file looks like it has another delimiter), or the header names it more than once, so which one is meant is
/// ambiguous.
struct HeaderColumns {
    let reader: CSVReader
    /// The input's file name as the descriptor gives it.
    let file: String
    /// The descriptor's key of the input (`customers`, `contacts`), where its format is set.
    let settingsKey: String

    /// The index of column `name`, which the descriptor names at `keyPath`.
    func index(of name: String, keyPath: String) throws(JobError) -> Int {
        let positions = self.reader.columns(named: name)
        guard let first = positions.first else {
            throw JobError(.missingColumn, "column \"\(name)\" is not in the header of \(self.file)",
                           file: "job.json", keyPath: keyPath, hint: self.missingHint(name))
        }
        guard positions.count == 1 else {
            let numbers = positions.map { String($0 + 1) }
            let listed = numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
            throw JobError(.duplicateColumn,
                           "column \"\(name)\" appears \(positions.count) times in the header of \(self.file) "
                               + "(columns \(listed))",
                           file: "job.json", keyPath: keyPath,
                           hint: "which one is meant is ambiguous: rename the others in the file's header, then "
                               + "name the one to use; the header has: \(self.headerList)")
        }
        return first
    }

    var headerList: String { self.reader.header.joined(separator: ", ") }

    /// The header's columns, or — when the header holds another delimiter, as a semicolon-separated file read
    /// with commas does — how to read it.
    func missingHint(_ name: String) -> String {
        let list = "the header has: \(self.headerList)"
        guard !self.reader.isJSONLines,
            let likely = CSVFormat.likelyDelimiter(header: self.reader.header, current: self.reader.delimiter)
        else { return list }
        let split = self.reader.header.joined(separator: String(UnicodeScalar(self.reader.delimiter)))
            .split(separator: Character(UnicodeScalar(likely)), omittingEmptySubsequences: false)
            .map { String($0).trimmed }
        guard self.reader.header.count == 1 || split.contains(name) else { return list }
        return CSVFormat.delimiterHint(likely, settingsKey: self.settingsKey) + "; " + list
    }
}
