import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Drops a client connection without answering, the way a crashed gateway or a middlebox does.
enum ConnectionDropper {
    /// The error the handler throws after dropping, so Hummingbird writes nothing more of its own accord.
    struct Dropped: Error {}

    /// Closes the connection with a TCP reset (SO_LINGER 0) rather than an orderly FIN, so the client sees
    /// "connection reset by peer" as with a real network fault.
    static func reset(_ channel: any Channel) async {
        if let provider = channel as? any SocketOptionProvider {
            _ = try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }
}
