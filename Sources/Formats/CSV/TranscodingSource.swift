import Foundation

/// The byte source under ``CSVScanner`` for a file that is not UTF-8: reads the file chunk by chunk and hands out
/// its text as UTF-8, so the scanner parses one encoding only and memory stays bounded.
///
/// A code unit or surrogate pair cut by a chunk's end is carried to the next chunk. A byte sequence that is not
/// text in the encoding is reported only once the text before it has been handed out, so the scanner names
/// the line it is on, whatever the buffer sizes. UTF-8 files never come here: the scanner reads them itself.
final class TranscodingSource {
    enum Kind: Equatable {
        case utf16(bigEndian: Bool)
        case windows1252
        case iso88591
    }

    private let kind: Kind
    private let descriptor: Int32
    private let displayName: String
    /// Raw bytes read from the file; the first `carried` of them are a code unit cut by the last chunk's end.
    private let raw: UnsafeMutablePointer<UInt8>
    private let rawCapacity: Int
    private var carried = 0
    /// Decoded UTF-8 not yet handed out: `decoded[decodedStart..<decodedEnd]`.
    private let decoded: UnsafeMutablePointer<UInt8>
    private var decodedStart = 0
    private var decodedEnd = 0
    /// A high surrogate whose low half is in the next chunk.
    private var highSurrogate: UInt32?
    private var atEnd = false
    /// The problem found after the text still in `decoded`: thrown once that is handed out.
    private var deferredError: Diagnostic?
    /// Bytes read from the file, and UTF-8 bytes handed out (for progress estimates in file bytes).
    private(set) var rawBytesRead = 0
    private(set) var decodedBytesOut = 0

    init(kind: Kind, descriptor: Int32, displayName: String, chunkSize: Int) {
        self.kind = kind
        self.descriptor = descriptor
        self.displayName = displayName
        self.rawCapacity = max(chunkSize, 4)
        self.raw = .allocate(capacity: self.rawCapacity)
        // A raw byte becomes at most 3 UTF-8 bytes (Windows-1252's €, a UTF-16 unit of the BMP takes 2).
        self.decoded = .allocate(capacity: self.rawCapacity * 3 + 8)
    }

    deinit {
        self.raw.deallocate()
        self.decoded.deallocate()
    }

    /// Fills up to `count` bytes at `buffer` with UTF-8; 0 at the end of the file.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(Diagnostic) -> Int {
        while self.decodedStart == self.decodedEnd {
            if let error = self.deferredError { throw error }
            if self.atEnd { return 0 }
            try self.decodeChunk()
        }
        let handed = min(count, self.decodedEnd - self.decodedStart)
        buffer.update(from: self.decoded + self.decodedStart, count: handed)
        self.decodedStart += handed
        self.decodedBytesOut += handed
        return handed
    }

    private func decodeChunk() throws(Diagnostic) {
        var count = 0
        while true {
            count = Foundation.read(self.descriptor, self.raw + self.carried, self.rawCapacity - self.carried)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw Diagnostic(.unreadableFile, "read failed: \(String(cString: strerror(errno)))",
                                 file: self.displayName)
            }
            break
        }
        self.rawBytesRead += count
        self.decodedStart = 0
        self.decodedEnd = 0
        if count == 0 {
            self.atEnd = true
            if self.carried > 0 || self.highSurrogate != nil {
                self.deferredError = Diagnostic(
                    .invalidEncoding, "the file ends in the middle of a UTF-16 character", file: self.displayName,
                    hint: "the file is cut short; export it again")
            }
            return
        }
        let available = self.carried + count
        var out = self.decoded
        switch self.kind {
        case .windows1252, .iso88591:
            let table = self.kind == .windows1252 ? Windows1252.utf8 : Windows1252.latin1UTF8
            for index in 0..<available {
                let byte = self.raw[index]
                if byte < 0x80 {
                    out.pointee = byte
                    out += 1
                    continue
                }
                let entry = (Int(byte) - 0x80) * 4
                let length = Int(table[entry])
                for k in 0..<length { out[k] = table[entry + 1 + k] }
                out += length
            }
            self.carried = 0
        case .utf16(let bigEndian):
            var index = 0
            // Where in the file `raw[0]` is, for error messages.
            let chunkOffset = self.rawBytesRead - available
            while index + 1 < available {
                let first = UInt32(self.raw[index]), second = UInt32(self.raw[index + 1])
                let unit = bigEndian ? first << 8 | second : second << 8 | first
                index += 2
                if let high = self.highSurrogate {
                    guard (0xDC00...0xDFFF).contains(unit) else {
                        self.deferredError = self.unpaired(at: chunkOffset + index - 4)
                        break
                    }
                    self.highSurrogate = nil
                    let scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                    out[0] = UInt8(0xF0 | scalar >> 18)
                    out[1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
                    out[2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
                    out[3] = UInt8(0x80 | scalar & 0x3F)
                    out += 4
                    continue
                }
                switch unit {
                case ..<0x80:
                    out.pointee = UInt8(unit)
                    out += 1
                case ..<0x800:
                    out[0] = UInt8(0xC0 | unit >> 6)
                    out[1] = UInt8(0x80 | unit & 0x3F)
                    out += 2
                case 0xD800...0xDBFF:
                    self.highSurrogate = unit
                case 0xDC00...0xDFFF:
                    self.deferredError = self.unpaired(at: chunkOffset + index - 2)
                default:
                    out[0] = UInt8(0xE0 | unit >> 12)
                    out[1] = UInt8(0x80 | (unit >> 6) & 0x3F)
                    out[2] = UInt8(0x80 | unit & 0x3F)
                    out += 3
                }
                if self.deferredError != nil { break }
            }
            // An odd byte left over is the first half of a unit the next chunk completes.
            self.carried = available - index
            if self.carried > 0 { self.raw[0] = self.raw[index] }
        }
        self.decodedEnd = out - self.decoded
    }

    private func unpaired(at offset: Int) -> Diagnostic {
        Diagnostic(.invalidEncoding, "bytes \(offset + 1)–\(offset + 2) of the file are not valid UTF-16 (a lone surrogate)",
                   file: self.displayName, hint: "the file is not UTF-16 text throughout; export it again as UTF-8")
    }
}

/// Windows-1252 (and ISO-8859-1) bytes 0x80–0xFF as UTF-8.
enum Windows1252 {
    /// The code point of each byte 0x80–0xFF. Taken from Foundation's own Windows-1252 converter
    /// (`String.Encoding.windowsCP1252`, CoreFoundation's `kCFStringEncodingWindowsLatin1`) rather than a list
    /// typed in here; the five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), which Foundation
    /// refuses, are the C1 controls of the same value, as the WHATWG Encoding Standard's index-windows-1252 maps
    /// them (and as ISO-8859-1 maps all of 0x80–0x9F).
    static let scalars: [UInt32] = (0x80...0xFF).map { byte in
        let text = String(data: Data([UInt8(byte)]), encoding: .windowsCP1252)
        guard let scalar = text?.unicodeScalars.first, text?.unicodeScalars.count == 1 else { return UInt32(byte) }
        return scalar.value
    }

    /// Per byte 0x80–0xFF four entries: the length of its UTF-8, then its bytes.
    static let utf8: [UInt8] = Self.table(Self.scalars)
    /// ISO-8859-1: each byte is the code point of the same value.
    static let latin1UTF8: [UInt8] = Self.table((0x80...0xFF).map { UInt32($0) })

    /// Whether these bytes could be text in Windows-1252: none of its five undefined bytes.
    static func isPlausible(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { $0 == 0x81 || $0 == 0x8D || $0 == 0x8F || $0 == 0x90 || $0 == 0x9D }
    }

    private static func table(_ scalars: [UInt32]) -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 128 * 4)
        for (index, value) in scalars.enumerated() {
            let utf8 = Array(String(Character(Unicode.Scalar(value)!)).utf8)
            table[index * 4] = UInt8(utf8.count)
            for (k, byte) in utf8.enumerated() { table[index * 4 + 1 + k] = byte }
        }
        return table
    }
}
