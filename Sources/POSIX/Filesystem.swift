import CLinux

/// What kind of filesystem a path is on, for the daemon's choice of how often to rescan its spool.
public enum Filesystem {
    /// `statfs(2)` `f_type` magic numbers of network and user-space filesystems, where inotify misses changes
    /// made elsewhere: NFS, SMB, CIFS, SMB2, Ceph, 9P, AFS, FUSE, Lustre, GFS2, OCFS2.
    static let networkTypes: Set<UInt64> = [
        0x6969, 0x517B, 0xFF53_4D42, 0xFE53_4D42, 0x00C3_6400, 0x0102_1997, 0x5346_414F, 0x6573_5546, 0x0BD0_0BD0,
        0x0116_1970, 0x7461_636F,
    ]

    /// Whether `path` is on a network (or FUSE) filesystem; `false` when it cannot tell.
    public static func isNetwork(_ path: String) -> Bool {
        var info = statfs()
        guard statfs(path, &info) == 0 else { return false }
        return Self.networkTypes.contains(UInt64(UInt(bitPattern: Int(info.f_type))))
    }
}
