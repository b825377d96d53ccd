// libFuzzer entry: the streaming CSV reader over arbitrary bytes (written to a file, as the reader reads files).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = "/dev/shm/enrichd-fuzz-csv-\(getpid())"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = write(fd, data, size)
    close(fd)
    defer { unlink(path) }
    guard let reader = try? CSVReader(path: path, displayName: "fuzz.csv") else { return 0 }
    var records = 0
    while let record = try? reader.next() {
        precondition(record.fields.count == reader.header.count)
        records += 1
    }
    return 0
}
