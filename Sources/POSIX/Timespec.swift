#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension timespec {
    /// Whether this time is earlier than `other` (file times from `stat(2)`: `st_mtim`, `st_ctim`).
    public func isBefore(_ other: timespec) -> Bool {
        self.tv_sec != other.tv_sec ? self.tv_sec < other.tv_sec : self.tv_nsec < other.tv_nsec
    }
}
