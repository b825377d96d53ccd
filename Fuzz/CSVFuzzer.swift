// libFuzzer entry: the streaming CSV reader over arbitrary bytes (written to a file, as the reader reads files),
// read as CSV and, under a .jsonl name, as JSON Lines.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    for ext in ["csv", "jsonl"] {
        let path = "/dev/shm/enrichd-fuzz-csv-\(getpid()).\(ext)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return 0 }
        _ = write(fd, data, size)
        close(fd)
        defer { unlink(path) }
        // The same bytes through a normal and a tiny (refill-everywhere) buffer must read the same, error included;
        // as UTF-8 (or UTF-16 by its byte order mark) and through the transcoding byte source.
        func read(_ capacity: Int, _ format: CSVFormat) -> [String] {
            do {
                let reader = try CSVReader(path: path, displayName: "fuzz.\(ext)", format: format,
                                           bufferCapacity: capacity)
                var out = [reader.header.joined(separator: "\u{0}")]
                while let record = try reader.next() {
                    precondition(record.fields.count == reader.header.count)
                    out.append("\(record.line):" + record.fields.joined(separator: "\u{0}"))
                }
                return out
            } catch {
                return ["error \(error.code) \(error.line.map(String.init) ?? "-") \(error.message)"]
            }
        }
        let formats = ext == "jsonl" ? [CSVFormat()]
            : [CSVFormat(), CSVFormat(delimiter: UInt8(ascii: ";"), encoding: .windows1252),
               CSVFormat(delimiter: UInt8(ascii: "\t"), encoding: .utf16)]
        for format in formats {
            precondition(read(1 << 18, format) == read(5, format), "a tiny buffer reads the \(ext) file differently")
        }
    }
    return 0
}
