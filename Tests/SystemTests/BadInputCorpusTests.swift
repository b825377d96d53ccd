import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Issue 10, item 1: a corpus of bad (and a few odd-but-valid) inputs through ONE long-running daemon. Every
/// invalid case ends in failed/ with an error.json naming the problem; valid ones end in done/; the daemon stays
/// up, small and well-behaved, and writes nothing outside its spool.
@Suite struct BadInputCorpusTests {
    static let token = "corpus-token-\(UUID().uuidString)"

    /// How a case reaches incoming/.
    enum Drop {
        /// A bundle directory NAME/ (the closure fills the staged directory).
        case bundle((String) throws -> Void)
        /// A bare descriptor NAME.json (the closure creates the staged file).
        case descriptor((String) throws -> Void)
        /// Anything else; the closure puts the entry into incoming/ itself.
        case custom(() throws -> Void)
    }

    enum Expectation {
        case done
        case failed(codes: Set<String>, file: String? = nil, line: Int? = nil, keyPath: String? = nil,
                    message: String? = nil)
    }

    struct Case {
        var name: String
        var drop: Drop
        var expect: Expectation
        /// The id it should get; nil when the daemon must invent a fresh one starting with `name + "-"`.
        var exactID: Bool = true
        /// Extra checks on the job's final directory.
        var check: ((String) throws -> Void)? = nil
    }

    static let header = "CustomerId,Name,Website,Country,City\r\n"
    static let rows = "1,Acme,acme.com,US,Boston\r\n2,Globex,globex.com,DE,Berlin\r\n3,Initech,initech.com,FR,Paris\r\n"

    static func job(_ table: String, file: String = "accounts.csv", connection: String = "default",
                    identifyBy: String = #"["primary"]"#,
                    mapping: String = #"{"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country", "city": "City"}}}"#,
                    extra: String = "") -> String {
        """
        {"name": "\(table)", "outputTable": "\(table)", "connection": "\(connection)",
         "customers": {"file": "\(file)", "idColumn": "CustomerId"},
         "identifyBy": \(identifyBy),
         "mapping": \(mapping)\(extra)}
        """
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ path: String, _ text: String) throws { try self.write(path, Array(text.utf8)) }

    /// A bundle: job.json (text) plus accounts.csv (bytes).
    static func bundle(_ table: String, csv: [UInt8], jobText: String? = nil) -> Drop {
        .bundle { directory in
            try write(directory + "/job.json", jobText ?? job(table))
            try write(directory + "/accounts.csv", csv)
        }
    }

    static func csv(_ text: String) -> [UInt8] { Array(text.utf8) }

    struct FileFingerprint: Equatable {
        var size: Int, mtimeSeconds: Int, mtimeNanoseconds: Int, contents: Data?
        init(_ path: String) {
            var status = stat()
            lstat(path, &status)
            self.size = Int(status.st_size)
            self.mtimeSeconds = Int(status.st_mtim.tv_sec)
            self.mtimeNanoseconds = Int(status.st_mtim.tv_nsec)
            self.contents = FileManager.default.contents(atPath: path)
        }
    }

    /// `makedev` (a macro in glibc, not imported): the Linux encoding of major/minor device numbers.
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32))
    }

    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        return status.st_mode & S_IFMT
    }

    @Test func corpusThroughOneDaemon() throws {
        let started = Date()
        let directory = try TemporaryDirectory("enrichd-corpus")
        let outside = try TemporaryDirectory("enrichd-corpus-outside")
        defer {
            if !keepTestDirectories { directory.remove(); outside.remove() }
        }
        let sandbox = try SandboxServer(["--seed", "3", "--companies", "300", "--token", Self.token,
                                         "--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { sandbox.stop() }
        let sample = try ChildProcess.run(BuiltProducts.sandbox, ["sample", "--seed", "3", "--companies", "300",
                                                                   "--accounts", "30", "--contacts", "0",
                                                                   "--out", directory.file("data")])
        try #require(sample.status == 0, "\(sample.stderr)")
        let sampleCSV = try #require(FileManager.default.contents(atPath: directory.file("data/accounts.csv")))
        let sampleRows = try CSVFile(path: directory.file("data/accounts.csv")).rows.count

        // Decoys outside the spool: targets of symlinks and of a hard link. They must not change.
        let decoyCSV = try outside.write("decoy.csv", Self.header + Self.rows)
        let decoyJob = try outside.write("decoy-job.json", Self.job("T_decoy"))
        let hardLinked = try outside.write("hardlinked.csv", String(decoding: sampleCSV, as: UTF8.self))
        try FileManager.default.createDirectory(atPath: outside.file("dir"), withIntermediateDirectories: true)
        try outside.write("dir/accounts.csv", Self.header + Self.rows)
        let watched = [decoyCSV, decoyJob, hardLinked, outside.file("dir/accounts.csv"), "/etc/passwd"]
        let before = watched.map(FileFingerprint.init)

        try directory.write("token", Self.token, mode: 0o600)
        let spool = directory.file("spool")
        let layout = SpoolLayout(root: spool)
        try layout.create()
        try directory.write("enrichd.json", DaemonConfigurationText.render(spool: spool, maxActiveJobs: 8, connections: [
            .init(baseURL: sandbox.baseURL, tokenFile: directory.file("token"), ratePerSecond: 500, maxInFlight: 16),
        ]))
        // Ids already taken: the second entry with such an id gets a fresh one and leaves these alone.
        try FileManager.default.createDirectory(atPath: layout.done("c51-dup"), withIntermediateDirectories: true)
        try Self.write(layout.done("c51-dup") + "/marker", "earlier job")
        try FileManager.default.createDirectory(atPath: layout.failed("c52-dup"), withIntermediateDirectories: true)
        try Self.write(layout.failed("c52-dup") + "/marker", "earlier job")

        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let mixedEndings: [UInt8] = {
            let lines = String(decoding: sampleCSV, as: UTF8.self).components(separatedBy: "\r\n")
            var text = ""
            for (index, line) in lines.enumerated() where !(index == lines.count - 1 && line.isEmpty) {
                text += line + ["\r\n", "\n", "\r"][index % 3]
            }
            return Array(text.utf8)
        }()
        let hundredThousandColumns = (1...100_001).map { "C\($0)" }.joined(separator: ",") + "\r\n"
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        func doneCheck(_ table: String, rows: Int) -> (String) throws -> Void {
            { done in
                let result = try SpoolInspection.jsonObject(done + "/result.json")
                #expect(["succeeded", "completedWithWarnings"].contains(result["state"] as? String ?? ""), "\(result)")
                #expect(try CSVFile(path: done + "/\(table).csv").rows.count == rows, "\(done)")
            }
        }
        let validSampleJob = { (table: String) in Self.job(table) }

        var cases: [Case] = [
            // --- Descriptors: JSON syntax and structure ---
            Case(name: "c01-truncated", drop: .descriptor { try Self.write($0, #"{"name": "x", "outputTable": "T_c01", "customers": {"file": "acc"#) },
                 expect: .failed(codes: ["invalidJSON"], file: "job.json", line: 1, message: "unterminated")),
            Case(name: "c02-trailing-comma", drop: .descriptor { try Self.write($0, "{\"name\": \"x\",\n \"outputTable\": \"T_c02\",\n \"connection\": \"default\",}") },
                 expect: .failed(codes: ["invalidJSON"], file: "job.json", line: 3)),
            Case(name: "c03-deep-nesting", drop: .descriptor { try Self.write($0, deep) },
                 expect: .failed(codes: ["invalidJSON"], file: "job.json", line: 1, message: "nesting")),
            Case(name: "c04-huge-exponent", drop: .descriptor { try Self.write($0, Self.job("T_c04").replacingOccurrences(of: #""outputTable": "T_c04""#, with: #""outputTable": 1e400"#)) },
                 expect: .failed(codes: ["wrongType"], file: "job.json", line: 1, keyPath: "outputTable")),
            Case(name: "c05-huge-integer", drop: .descriptor { try Self.write($0, Self.job("T_c05").replacingOccurrences(of: #""outputTable": "T_c05""#, with: #""outputTable": 99999999999999999999999"#)) },
                 expect: .failed(codes: ["wrongType"], file: "job.json", keyPath: "outputTable")),
            Case(name: "c06-number-in-identifyBy", drop: .descriptor { try Self.write($0, Self.job("T_c06", identifyBy: "[1e400]")) },
                 expect: .failed(codes: ["wrongType"], file: "job.json", line: 3, message: "identifyBy")),
            Case(name: "c07-customers-string", drop: .descriptor { try Self.write($0, #"{"name": "x", "outputTable": "T_c07", "customers": "accounts.csv", "mapping": {"primary": {"companyName": "Name"}}}"#) },
                 expect: .failed(codes: ["wrongType"], file: "job.json", keyPath: "customers")),
            Case(name: "c08-identifyBy-string", drop: .descriptor { try Self.write($0, Self.job("T_c08", identifyBy: #""primary""#)) },
                 expect: .failed(codes: ["wrongType"], file: "job.json", line: 3, keyPath: "identifyBy")),
            Case(name: "c09-zero-byte-descriptor", drop: .descriptor { try Self.write($0, [UInt8]()) },
                 expect: .failed(codes: ["invalidJSON", "emptyFile"], file: "job.json", message: "empty")),
            Case(name: "c10-nul-in-json", drop: .descriptor { try Self.write($0, Array(#"{"name": "a"#.utf8) + [0] + Array(#"b", "outputTable": "T_c10"}"#.utf8)) },
                 expect: .failed(codes: ["invalidJSON"], file: "job.json", line: 1)),
            Case(name: "c11-invalid-utf8-in-json", drop: .descriptor { try Self.write($0, Array(#"{"name": "a"#.utf8) + [0xFF, 0xC3] + Array(#"b", "outputTable": "T_c11"}"#.utf8)) },
                 expect: .failed(codes: ["invalidJSON", "invalidUTF8"], file: "job.json", line: 1, message: "UTF-8")),
            Case(name: "c12-unknown-key", drop: .descriptor { try Self.write($0, Self.job("T_c12", extra: ",\n \"outputTabel\": \"Typo\"")) },
                 expect: .failed(codes: ["unknownKey"], file: "job.json", line: 5, keyPath: "outputTabel")),
            Case(name: "c13-missing-companyName", drop: .descriptor { try Self.write($0, Self.job("T_c13", mapping: #"{"primary": {"website": "Website"}}"#)) },
                 expect: .failed(codes: ["missingKey"], file: "job.json", keyPath: "mapping.primary.companyName")),
            Case(name: "c14-dotdot-path", drop: .descriptor { try Self.write($0, Self.job("T_c14", file: "../../../../etc/passwd")) },
                 expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file", message: "..")),
            Case(name: "c15-absolute-path", drop: .descriptor { try Self.write($0, Self.job("T_c15", file: "/etc/passwd")) },
                 expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file", message: "/etc/passwd")),
            Case(name: "c16-identifyBy-without-mapping", drop: .descriptor { try Self.write($0, Self.job("T_c16", identifyBy: #"["primary", "secondary"]"#)) },
                 expect: .failed(codes: ["missingKey"], file: "job.json", keyPath: "mapping.secondary")),
            Case(name: "c17-unknown-connection", drop: .descriptor { try Self.write($0, Self.job("T_c17", connection: "nosuch")) },
                 expect: .failed(codes: ["unknownConnection"], file: "job.json", keyPath: "connection", message: "nosuch")),
            Case(name: "c18-table-with-spaces", drop: .descriptor { try Self.write($0, Self.job("My Table")) },
                 expect: .failed(codes: ["invalidValue"], file: "job.json", line: 1, keyPath: "outputTable")),
            Case(name: "c19-bom-in-job-json", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", bom + Array(validSampleJob("T_c19").utf8))
                     try Self.write(directory + "/accounts.csv", [UInt8](sampleCSV))
                 }, expect: .done, check: doneCheck("T_c19", rows: sampleRows)),
            Case(name: "c20-unknown-nested-key", drop: .descriptor { try Self.write($0, Self.job("T_c20", mapping: #"{"primary": {"companyName": "Name", "location": {"county": "Country"}}}"#)) },
                 expect: .failed(codes: ["unknownKey"], file: "job.json", keyPath: "mapping.primary.location.county")),
            Case(name: "c21-duplicate-key", drop: .descriptor { try Self.write($0, Self.job("T_c21", extra: ",\n \"name\": \"again\"")) },
                 expect: .failed(codes: ["invalidJSON"], file: "job.json", line: 5, message: "duplicate")),
            Case(name: "c22-root-array", drop: .descriptor { try Self.write($0, "[]") },
                 expect: .failed(codes: ["wrongType"], file: "job.json")),
            Case(name: "c23-missing-customers", drop: .descriptor { try Self.write($0, #"{"name": "x", "outputTable": "T_c23", "mapping": {"primary": {"companyName": "Name"}}}"#) },
                 expect: .failed(codes: ["missingKey"], file: "job.json", keyPath: "customers")),
            // --- Data files ---
            Case(name: "c24-bom-in-csv", drop: Self.bundle("T_c24", csv: bom + [UInt8](sampleCSV)), expect: .done,
                 check: doneCheck("T_c24", rows: sampleRows)),
            Case(name: "c25-mixed-line-endings", drop: Self.bundle("T_c25", csv: mixedEndings), expect: .done,
                 check: doneCheck("T_c25", rows: sampleRows)),
            Case(name: "c26-nul-in-csv", drop: Self.bundle("T_c26", csv: Self.csv(Self.header + "1,Acme,acme.com,US,Boston\r\n") + Array("2,Ac".utf8) + [0] + Self.csv("me,x.com,US,Boston\r\n")),
                 expect: .failed(codes: ["malformedCSV"], file: "accounts.csv", line: 3, message: "NUL")),
            Case(name: "c27-invalid-utf8-in-csv", drop: Self.bundle("T_c27", csv: Self.csv(Self.header + Self.rows) + Array("4,Bad".utf8) + [0xC3, 0x28] + Self.csv(",bad.com,US,Boston\r\n")),
                 expect: .failed(codes: ["invalidUTF8"], file: "accounts.csv", line: 5, message: "UTF-8")),
            Case(name: "c28-quote-left-open", drop: Self.bundle("T_c28", csv: Self.csv(Self.header + Self.rows + "4,\"Unclosed,x.com,US,Boston\r\n5,More,more.com,US,Boston\r\n")),
                 expect: .failed(codes: ["malformedCSV"], file: "accounts.csv", line: 5, message: "never closed")),
            Case(name: "c29-field-over-1MiB", drop: Self.bundle("T_c29", csv: Self.csv(Self.header + "1," + String(repeating: "x", count: (1 << 20) + 10) + ",a.com,US,Boston\r\n")),
                 expect: .failed(codes: ["malformedCSV"], file: "accounts.csv", line: 2, message: "longer than")),
            Case(name: "c30-header-100k-columns", drop: Self.bundle("T_c30", csv: Self.csv(hundredThousandColumns)),
                 expect: .failed(codes: ["malformedCSV"], file: "accounts.csv", line: 1, message: "4096")),
            Case(name: "c31-zero-byte-csv", drop: Self.bundle("T_c31", csv: []),
                 expect: .failed(codes: ["emptyFile"], file: "accounts.csv")),
            Case(name: "c32-zero-byte-job-json", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", [UInt8]())
                     try Self.write(directory + "/accounts.csv", [UInt8](sampleCSV))
                 }, expect: .failed(codes: ["invalidJSON", "emptyFile"], file: "job.json", message: "empty")),
            Case(name: "c33-csv-is-directory", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c33"))
                     try FileManager.default.createDirectory(atPath: directory + "/accounts.csv", withIntermediateDirectories: false)
                 }, expect: .failed(codes: ["unreadableFile"], file: "accounts.csv", message: "regular")),
            Case(name: "c34-csv-is-fifo", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c34"))
                     try #require(mkfifo(directory + "/accounts.csv", 0o644) == 0)
                 }, expect: .failed(codes: ["unreadableFile"], file: "accounts.csv", message: "regular")),
            Case(name: "c35-csv-symlink-dev-zero", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c35"))
                     try #require(symlink("/dev/zero", directory + "/accounts.csv") == 0)
                 }, expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file")),
            Case(name: "c36-csv-symlink-out-of-spool", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c36"))
                     try #require(symlink(decoyCSV, directory + "/accounts.csv") == 0)
                 }, expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file")),
            Case(name: "c37-csv-symlink-etc-passwd", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c37"))
                     try #require(symlink("/etc/passwd", directory + "/accounts.csv") == 0)
                 }, expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file")),
            // A hard link is the same file, reached through a name inside the bundle: read as a regular file.
            Case(name: "c38-csv-hard-link", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c38"))
                     try #require(link(hardLinked, directory + "/accounts.csv") == 0, "link: \(errno)")
                 }, expect: .done, check: doneCheck("T_c38", rows: sampleRows)),
            Case(name: "c39-job-json-is-directory", drop: .bundle { directory in
                     try FileManager.default.createDirectory(atPath: directory + "/job.json", withIntermediateDirectories: false)
                     try Self.write(directory + "/accounts.csv", [UInt8](sampleCSV))
                 }, expect: .failed(codes: ["unreadableFile"], file: "job.json")),
            Case(name: "c40-ragged-row", drop: Self.bundle("T_c40", csv: Self.csv(Self.header + "1,Acme,acme.com,US,Boston\r\n2,Globex,globex.com,DE\r\n")),
                 expect: .failed(codes: ["raggedRow"], file: "accounts.csv", line: 3)),
            Case(name: "c41-duplicate-customer-id", drop: Self.bundle("T_c41", csv: Self.csv(Self.header + Self.rows + "2,Again,again.com,US,Boston\r\n")),
                 expect: .failed(codes: ["duplicateCustomerId"], file: "accounts.csv", line: 5, message: "\"2\"")),
            Case(name: "c42-mapped-column-missing", drop: Self.bundle("T_c42", csv: Self.csv(Self.header + Self.rows),
                                                                      jobText: Self.job("T_c42", mapping: #"{"primary": {"companyName": "Name", "website": "Homepage"}}"#)),
                 expect: .failed(codes: ["missingColumn"], file: "job.json", keyPath: "mapping.primary.website", message: "Homepage")),
            Case(name: "c43-csv-not-found", drop: .bundle { directory in try Self.write(directory + "/job.json", Self.job("T_c43", file: "missing.csv")) },
                 expect: .failed(codes: ["fileNotFound"], file: "missing.csv")),
            Case(name: "c44-csv-is-char-device", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c44"))
                     try #require(mknod(directory + "/accounts.csv", S_IFCHR | 0o644, Self.device(1, 3)) == 0, "mknod: \(errno)")
                 }, expect: .failed(codes: ["unreadableFile"], file: "accounts.csv", message: "regular")),
            Case(name: "c53-job-json-symlink-out", drop: .bundle { directory in
                     try #require(symlink(decoyJob, directory + "/job.json") == 0)
                     try Self.write(directory + "/accounts.csv", [UInt8](sampleCSV))
                 }, expect: .failed(codes: ["unreadableFile", "pathNotAllowed"], file: "job.json")),
            Case(name: "c54-job-json-is-fifo", drop: .bundle { directory in
                     try #require(mkfifo(directory + "/job.json", 0o644) == 0)
                     try Self.write(directory + "/accounts.csv", [UInt8](sampleCSV))
                 }, expect: .failed(codes: ["unreadableFile"], file: "job.json")),
            Case(name: "c55-symlinked-subdirectory-out", drop: .bundle { directory in
                     try Self.write(directory + "/job.json", Self.job("T_c55", file: "data/accounts.csv"))
                     try #require(symlink(outside.file("dir"), directory + "/data") == 0)
                 }, expect: .failed(codes: ["pathNotAllowed"], file: "job.json", keyPath: "customers.file")),
            Case(name: "c56-huge-number-unknown-key", drop: .descriptor { try Self.write($0, Self.job("T_c56", extra: ",\n \"maxInFlight\": 1e400")) },
                 expect: .failed(codes: ["unknownKey"], file: "job.json", line: 5, keyPath: "maxInFlight")),
        ]

        // --- Entries in incoming/ that are not jobs: quarantined, moved, never followed ---
        cases += [
            Case(name: "c45-fifo", drop: .custom { try #require(mkfifo(layout.path("incoming", "c45-fifo.json"), 0o644) == 0) },
                 expect: .failed(codes: ["unreadableFile"], message: "FIFO"),
                 check: { failed in #expect(Self.fileType(failed + "/c45-fifo.json") == S_IFIFO, "the FIFO itself is moved") }),
            Case(name: "c46-symlink", drop: .custom { try #require(symlink(decoyJob, layout.path("incoming", "c46-symlink.json")) == 0) },
                 expect: .failed(codes: ["unreadableFile"], message: "symbolic link"),
                 check: { failed in #expect(Self.fileType(failed + "/c46-symlink.json") == S_IFLNK, "the link itself is moved") }),
            Case(name: "c47-device", drop: .custom { try #require(mknod(layout.path("incoming", "c47-device.json"), S_IFCHR | 0o644, Self.device(1, 5)) == 0) },
                 expect: .failed(codes: ["unreadableFile"], message: "device"),
                 check: { failed in #expect(Self.fileType(failed + "/c47-device.json") == S_IFCHR, "the device node is moved") }),
            Case(name: "c48-notjson.txt", drop: .custom { try Self.write(layout.path("incoming", "c48-notjson.txt"), Self.job("T_c48")) },
                 expect: .failed(codes: ["unreadableFile"], message: ".json"),
                 check: { failed in #expect(Self.fileType(failed + "/c48-notjson.txt") == S_IFREG) }),
            Case(name: "c49-newline", drop: .custom {
                     let name = Array("c49-new\nline".utf8)
                     let staged = RawPath.join(layout.tmp, name)
                     try #require(RawPath.mkdir(staged) == 0)
                     let stagedPath = layout.tmp + "/c49-new\nline"
                     try Self.write(stagedPath + "/job.json", Self.job("T_c49"))
                     try Self.write(stagedPath + "/accounts.csv", [UInt8](sampleCSV))
                     try #require(RawPath.rename(staged, RawPath.join(layout.incoming, name)) == 0)
                 }, expect: .done, exactID: false, check: doneCheck("T_c49", rows: sampleRows)),
            Case(name: "c50-bad", drop: .custom {
                     let name = Array("c50-".utf8) + [0xFF, 0xFE] + Array("bad.json".utf8)
                     let staged = RawPath.join(layout.tmp, name)
                     try #require(RawPath.write(staged, Array("{".utf8)))
                     try #require(RawPath.rename(staged, RawPath.join(layout.incoming, name)) == 0)
                 }, expect: .failed(codes: ["invalidJSON"], file: "job.json"), exactID: false),
            Case(name: "c51-dup", drop: .custom {
                     try Self.write(layout.tmp + "/c51-dup.json", #"{"name": "dup", "outputTable": "T_c51"}"#)
                     try #require(rename(layout.tmp + "/c51-dup.json", layout.path("incoming", "c51-dup.json")) == 0)
                 }, expect: .failed(codes: ["missingKey"], file: "job.json", keyPath: "customers"), exactID: false),
            Case(name: "c52-dup", drop: .custom {
                     try FileManager.default.createDirectory(atPath: layout.tmp + "/c52-dup", withIntermediateDirectories: false)
                     try Self.write(layout.tmp + "/c52-dup/job.json", Self.job("T_c52"))
                     try Self.write(layout.tmp + "/c52-dup/accounts.csv", [UInt8](sampleCSV))
                     try #require(rename(layout.tmp + "/c52-dup", layout.path("incoming", "c52-dup")) == 0)
                 }, expect: .done, exactID: false, check: doneCheck("T_c52", rows: sampleRows)),
        ]
        #expect(cases.count >= 40)
        #expect(Set(cases.map(\.name)).count == cases.count)

        let daemon = try DaemonIncarnation(configuration: directory.file("enrichd.json"),
                                           socketPath: directory.file("notify.sock"), logPath: directory.file("enrichd.log"))
        defer { daemon.stop() }

        // Stage everything in tmp/ (same filesystem), then rename into incoming/ one after the other.
        for testCase in cases {
            switch testCase.drop {
            case .bundle(let fill):
                let staged = layout.path("tmp", testCase.name)
                try FileManager.default.createDirectory(atPath: staged, withIntermediateDirectories: false)
                try fill(staged)
                #expect(rename(staged, layout.path("incoming", testCase.name)) == 0, "\(testCase.name)")
            case .descriptor(let fill):
                let staged = layout.path("tmp", testCase.name + ".json")
                try fill(staged)
                #expect(rename(staged, layout.path("incoming", testCase.name + ".json")) == 0, "\(testCase.name)")
            case .custom(let drop):
                try drop()
            }
        }

        let deadline = Date().addingTimeInterval(30)
        var observed: [String] = []
        for testCase in cases {
            let remaining = max(1, deadline.timeIntervalSinceNow)
            let found: (id: String, outcome: SpoolWaiter.Outcome)?
            if testCase.exactID {
                let outcome = try SpoolWaiter.wait(for: testCase.name, in: layout, timeout: remaining)
                found = outcome == .timedOut ? nil : (testCase.name, outcome)
            } else {
                found = try SpoolEntryFinder.wait(in: layout, timeout: remaining) {
                    // A fresh id keeps the readable part of the name (c50's invalid bytes become "_").
                    $0.hasPrefix(String(testCase.name.prefix(4))) && $0 != testCase.name
                }
            }
            guard let found else {
                observed.append("\(testCase.name): TIMED OUT")
                Issue.record("\(testCase.name): never reached done/ or failed/; incoming: \((try? FileManager.default.contentsOfDirectory(atPath: layout.incoming)) ?? []); active: \((try? FileManager.default.contentsOfDirectory(atPath: layout.active)) ?? [])\n\(daemon.logTail(10))")
                continue
            }
            switch (testCase.expect, found.outcome) {
            case (.done, .done):
                observed.append("\(testCase.name): done/\(found.id)")
                try testCase.check?(layout.done(found.id))
            case (.failed(let codes, let file, let line, let keyPath, let message), .failed):
                let errorPath = layout.failed(found.id) + "/error.json"
                let text = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "<no error.json>"
                observed.append("\(testCase.name): failed/\(found.id) \(text.replacingOccurrences(of: "\n", with: " "))")
                let error = try SpoolInspection.jsonObject(errorPath)
                let code = error["code"] as? String ?? "<none>"
                #expect(codes.contains(code), "\(testCase.name): code \(code), expected \(codes.sorted()): \(text)")
                #expect(!(error["message"] as? String ?? "").isEmpty, "\(testCase.name): \(text)")
                if let file { #expect(error["file"] as? String == file, "\(testCase.name): file: \(text)") }
                if let line { #expect(error["line"] as? Int == line, "\(testCase.name): line: \(text)") }
                if let keyPath { #expect(error["keyPath"] as? String == keyPath, "\(testCase.name): keyPath: \(text)") }
                if let message {
                    #expect((error["message"] as? String ?? "").contains(message), "\(testCase.name): message: \(text)")
                }
                if case .descriptor = testCase.drop {
                    #expect(FileManager.default.fileExists(atPath: layout.failed(found.id) + "/job.json"),
                            "\(testCase.name): what was received is kept")
                }
                try testCase.check?(layout.failed(found.id))
            default:
                let evidence = (try? String(contentsOfFile: layout.failed(found.id) + "/error.json", encoding: .utf8)) ?? ""
                observed.append("\(testCase.name): \(found.outcome)/\(found.id) UNEXPECTED \(evidence.replacingOccurrences(of: "\n", with: " "))")
                Issue.record("\(testCase.name): ended in \(found.outcome)/\(found.id), expected \(testCase.expect): \(evidence)")
            }
        }
        print("corpus outcomes:\n" + observed.joined(separator: "\n"))

        // The ids already taken were left alone.
        #expect((try? String(contentsOfFile: layout.done("c51-dup") + "/marker", encoding: .utf8)) == "earlier job")
        #expect((try? String(contentsOfFile: layout.failed("c52-dup") + "/marker", encoding: .utf8)) == "earlier job")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: layout.incoming)) ?? ["?"]).isEmpty,
                "incoming/ drained: \((try? FileManager.default.contentsOfDirectory(atPath: layout.incoming)) ?? [])")

        // The daemon is still alive, and a normal small job still completes.
        #expect(daemon.child.isRunning, "\(daemon.logTail())")
        try FileManager.default.createDirectory(atPath: layout.tmp + "/c99-final", withIntermediateDirectories: false)
        try Self.write(layout.tmp + "/c99-final/job.json", Self.job("T_c99"))
        try Self.write(layout.tmp + "/c99-final/accounts.csv", [UInt8](sampleCSV))
        #expect(rename(layout.tmp + "/c99-final", layout.path("incoming", "c99-final")) == 0)
        #expect(try SpoolWaiter.wait(for: "c99-final", in: layout, timeout: 60) == .done, "\(daemon.logTail())")
        try doneCheck("T_c99", rows: sampleRows)(layout.done("c99-final"))

        let peak = ProcessStatus.kilobytes("VmHWM", pid: daemon.child.pid) ?? -1
        print("enrichd VmHWM: \(peak) kB; corpus run: \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        #expect(peak > 0 && peak < 200 * 1024, "peak RSS \(peak) kB")
        #expect(daemon.child.isRunning)

        // Nothing outside the spool was written: the decoys (symlink and hard-link targets) are unchanged.
        for (path, old) in zip(watched, before) {
            #expect(FileFingerprint(path) == old, "\(path) changed")
        }
        let outsideNow = try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted()
        #expect(outsideNow == ["decoy-job.json", "decoy.csv", "dir", "hardlinked.csv"], "\(outsideNow)")
    }
}
