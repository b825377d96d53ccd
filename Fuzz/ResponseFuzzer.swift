// libFuzzer entry: Leadspace response bodies through the lenient decoders (malformed bodies must not crash).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    if let result = try? JSONDecoder().decode(EnrichmentResult.self, from: body) {
        _ = result.companyEnriched
        _ = result.personEnriched
    }
    _ = try? JSONDecoder().decode(ErrorBody.self, from: body)
    return 0
}
