// The match keys of an earlier enrichd, for make bench's "before" column: built inside a git worktree of that
// commit (Benchmarks/before/build.sh), it prints what `enrichctl estimate --keys` prints now, for the key rule
// that commit had (rows share a lookup when their keys are equal; no other rule existed).
//
//   matchkeys-before customers.csv  →  CustomerId<TAB>primary<TAB>key   (empty key: no company name)
import Enrichment
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: matchkeys-before customers.csv\n".utf8))
    exit(64)
}
do {
    let reader = try CSVReader(path: arguments[1], displayName: arguments[1])
    func column(_ name: String) -> Int? { reader.column(named: name) }
    guard let id = column("CustomerId"), let name = column("Name") else {
        FileHandle.standardError.write(Data("the file needs CustomerId and Name columns\n".utf8))
        exit(65)
    }
    let website = column("Website"), country = column("Country")
    var out = ""
    while let record = try reader.next() {
        func value(_ index: Int?) -> String? {
            guard let index else { return nil }
            let text = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        var key = ""
        if let company = value(name) {
            let site = value(website).flatMap { MatchKey.isFreeMail($0) ? nil : $0 }
            key = CompanyQuery(name: company, website: site, country: value(country)).matchKey
        }
        out += "\(value(id) ?? "")\tprimary\t\(key)\n"
        if out.utf8.count > 1 << 16 {
            FileHandle.standardOutput.write(Data(out.utf8))
            out = ""
        }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(65)
}
