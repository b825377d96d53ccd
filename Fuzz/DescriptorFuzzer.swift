// libFuzzer entry: job descriptors and daemon configurations through the strict JSON parser and readers.
// Built by scripts/fuzz.sh together with Sources/Formats and most of Sources/Jobs (one module, so internals are
// reachable).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDescriptor(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let descriptor = try? JobDescriptor.parse(bytes) {
        // A descriptor that parses must be internally consistent.
        precondition(JobDescriptor.isValidTableName(descriptor.outputTable))
        precondition(descriptor.identifyBy.allSatisfy { descriptor.mappings[$0] != nil })
    }
    _ = try? DaemonConfiguration.parse(bytes, file: "fuzz.json")
    return 0
}
