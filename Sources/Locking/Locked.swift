import Foundation

/// A value behind a lock: `Synchronization.Mutex`'s `withLock`, on a pthread mutex (`NSLock`).
///
/// On Linux `Mutex` waits with futex system calls that ThreadSanitizer does not see, so every access it guards was
/// reported as a race (`make test-tsan` found 70 such reports in the sandbox alone); a pthread mutex is one
/// ThreadSanitizer understands, which keeps its reports about real races.
///
/// `@unchecked Sendable`: `value` is only touched inside `withLock`, under `lock`, as `Mutex` guarantees.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }
}
