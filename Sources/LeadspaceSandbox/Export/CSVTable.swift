import Foundation

/// An RFC 4180 CSV document built in memory: header first, CRLF line ends, fields quoted when they hold a comma,
/// a quote, a line break or leading or trailing spaces (which some readers would otherwise trim).
public struct CSVTable: Sendable {
    private var bytes: [UInt8] = []

    /// Starts a table with its header row.
    public init(header: [String]) {
        self.append(header)
    }

    /// Appends one record; it should have as many fields as the header.
    public mutating func append(_ fields: [String]) {
        for index in fields.indices {
            if index > 0 {
                self.bytes.append(UInt8(ascii: ","))
            }
            var field = fields[index]
            // One pass over contiguous UTF-8: the generic collection algorithms are slow in debug builds, and
            // exports and sample generation run from debug builds in tests.
            field.withUTF8 { utf8 in
                if Self.needsQuotes(utf8) {
                    self.bytes.append(UInt8(ascii: "\""))
                    for byte in utf8 {
                        if byte == UInt8(ascii: "\"") {
                            self.bytes.append(byte)
                        }
                        self.bytes.append(byte)
                    }
                    self.bytes.append(UInt8(ascii: "\""))
                } else {
                    self.bytes.append(contentsOf: utf8)
                }
            }
        }
        self.bytes.append(UInt8(ascii: "\r"))
        self.bytes.append(UInt8(ascii: "\n"))
    }

    /// The document as UTF-8 bytes.
    public var data: Data {
        Data(self.bytes)
    }

    /// Writes the document atomically (through a temporary file and a rename), creating no directories.
    public func write(to url: URL) throws {
        try self.data.write(to: url, options: .atomic)
    }

    private static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.last else {
            return false
        }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") {
            return true
        }
        for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            return true
        }
        return false
    }
}
