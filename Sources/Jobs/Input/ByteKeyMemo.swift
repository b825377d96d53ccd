/// A bounded map from byte strings to small integers that looks up without allocating: the memo of "these raw
/// field values gave that lookup" that lets a job normalize each distinct company once instead of once per row.
///
/// Open addressing over one byte arena; hashes are `Hasher`'s (seeded per process, so crafted input cannot force
/// collisions). Once ``limit`` keys are held, inserts are ignored: memory stays bounded whatever the input.
public struct ByteKeyMemo {
    /// One key: where its bytes are in the arena, and its value.
    private struct Entry {
        var start: Int32
        var count: Int32
        var value: Int32
    }

    public let limit: Int
    /// Per slot: 0 = empty, else the hash's top 32 bits and entry index + 1 (a probe compares bytes only when
    /// the hash bits match). The slot count is a power of two at least twice the entries.
    private var slots: [UInt64]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []

    public init(limit: Int) {
        self.limit = limit
        self.slots = [UInt64](repeating: 0, count: 1024)
    }

    public var count: Int { self.entries.count }

    public static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }

    @inline(__always)
    private static func tag(_ hash: Int) -> UInt64 { UInt64(UInt(bitPattern: hash)) & 0xFFFF_FFFF_0000_0000 }

    public func value(for key: UnsafeBufferPointer<UInt8>, hash: Int) -> Int32? {
        let tag = Self.tag(hash)
        return self.slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = hash & mask
            while true {
                let bits = slots[slot]
                if bits == 0 { return nil }
                if bits & 0xFFFF_FFFF_0000_0000 == tag {
                    let entry = self.entries[Int(bits & 0xFFFF_FFFF) - 1]
                    if Int(entry.count) == key.count && self.arena.withUnsafeBufferPointer({ arena in
                        key.count == 0 || memcmp(arena.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0
                    }) {
                        return entry.value
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Remembers `value` for `key` unless the memo is full (or already knows the key).
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: Int, value: Int32) {
        guard self.entries.count < self.limit, self.arena.count + key.count < Int32.max,
            self.value(for: key, hash: hash) == nil
        else { return }
        if (self.entries.count + 1) * 2 > self.slots.count { self.grow() }
        self.entries.append(Entry(start: Int32(self.arena.count), count: Int32(key.count), value: value))
        self.arena.append(contentsOf: key)
        self.place(Self.tag(hash) | UInt64(self.entries.count), hash: hash)
    }

    private mutating func place(_ bits: UInt64, hash: Int) {
        let mask = self.slots.count - 1
        var slot = hash & mask
        while self.slots[slot] != 0 { slot = (slot + 1) & mask }
        self.slots[slot] = bits
    }

    private mutating func grow() {
        let old = self.slots
        self.slots = [UInt64](repeating: 0, count: old.count * 2)
        // The slot index comes from the hash's low bits, which the tag does not keep: rehash the keys.
        for (index, entry) in self.entries.enumerated() {
            let hash = self.arena.withUnsafeBufferPointer { arena in
                Self.hash(UnsafeBufferPointer(rebasing: arena[Int(entry.start)..<Int(entry.start + entry.count)]))
            }
            self.place(Self.tag(hash) | UInt64(index + 1), hash: hash)
        }
    }
}

#if canImport(Glibc)
import Formats
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
