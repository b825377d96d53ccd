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
        self.entryIndex(for: key, hash: hash).map { self.entries[$0].value }
    }

    private func entryIndex(for key: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
        let tag = Self.tag(hash)
        return self.slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = hash & mask
            while true {
                let bits = slots[slot]
                if bits == 0 { return nil }
                if bits & 0xFFFF_FFFF_0000_0000 == tag {
                    let index = Int(bits & 0xFFFF_FFFF) - 1
                    let entry = self.entries[index]
                    if Int(entry.count) == key.count && self.arena.withUnsafeBufferPointer({ arena in
                        key.count == 0 || memcmp(arena.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0
                    }) {
                        return index
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Remembers `value` for `key` unless the memo is full (or already knows the key).
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: Int, value: Int32) {
        _ = self.insertEntry(key, hash: hash, value: value)
    }

    /// ``insert(_:hash:value:)``; the entry that holds `key` afterwards, `nil` when the memo is full.
    private mutating func insertEntry(_ key: UnsafeBufferPointer<UInt8>, hash: Int, value: Int32) -> Int? {
        if let known = self.entryIndex(for: key, hash: hash) { return known }
        guard self.entries.count < self.limit, self.arena.count + key.count < Int32.max else { return nil }
        if (self.entries.count + 1) * 2 > self.slots.count { self.grow() }
        self.entries.append(Entry(start: Int32(self.arena.count), count: Int32(key.count), value: value))
        self.arena.append(contentsOf: key)
        self.place(Self.tag(hash) | UInt64(self.entries.count), hash: hash)
        return self.entries.count - 1
    }

    // MARK: - Passes over the same rows

    /// Per position (a row and address kind, numbered by the caller) of the first pass over the rows, the entry
    /// holding its key (-1: none, or the memo was full): a later pass over the same rows compares the key with that
    /// entry's bytes instead of hashing it. The bytes are compared, so rows that changed between the passes only
    /// cost a hash.
    private var trail: [Int32] = []
    /// Positions past this are not noted (4 bytes each): what the trail may hold whatever the input.
    public static let trailLimit = 16_777_216

    /// The value of `key` (given as `parts` joined by NUL, as the caller builds its keys) when the entry noted at
    /// `position` holds it; `nil` when it does not or none was noted: then look it up by its hash.
    public func recalled(
        at position: Int, _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>,
        _ third: UnsafeBufferPointer<UInt8>
    ) -> Int32? {
        guard position < self.trail.count else { return nil }
        let index = Int(self.trail[position])
        guard index >= 0 else { return nil }
        let entry = self.entries[index]
        guard Int(entry.count) == first.count + second.count + third.count + 2 else { return nil }
        return self.arena.withUnsafeBufferPointer { arena -> Int32? in
            var at = arena.baseAddress! + Int(entry.start)
            func matches(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
                if part.count > 0 && memcmp(at, part.baseAddress!, part.count) != 0 { return false }
                at += part.count
                return true
            }
            guard matches(first), at.pointee == 0 else { return nil }
            at += 1
            guard matches(second), at.pointee == 0 else { return nil }
            at += 1
            return matches(third) ? entry.value : nil
        }
    }

    /// The value of `key`, noting its entry at `position` when it is the first pass's (see ``recalled(at:_:_:_:)``).
    public mutating func value(for key: UnsafeBufferPointer<UInt8>, hash: Int, noting position: Int) -> Int32? {
        guard let index = self.entryIndex(for: key, hash: hash) else { return nil }
        self.note(index, at: position)
        return self.entries[index].value
    }

    /// ``insert(_:hash:value:)``, noting the entry at `position` when it is the first pass's.
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: Int, value: Int32, noting position: Int) {
        guard let index = self.insertEntry(key, hash: hash, value: value) else { return }
        self.note(index, at: position)
    }

    private mutating func note(_ index: Int, at position: Int) {
        guard position >= self.trail.count, position < Self.trailLimit else { return }
        while self.trail.count < position { self.trail.append(-1) }
        self.trail.append(Int32(index))
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
