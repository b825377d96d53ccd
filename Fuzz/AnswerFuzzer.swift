// libFuzzer entry: the compact answer JSON reader (ledger and cache lines) over arbitrary bytes. What it accepts
// must survive a round trip through the writer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let answer = CompanyAnswer(json: bytes) else { return 0 }
    precondition(CompanyAnswer(json: answer.jsonBytes) == answer, "the writer's output reads back differently")
    return 0
}
