import Formats
import Foundation

/// Checks a job the way the daemon will, without sending anything: the descriptor, the connection it names and
/// that connection's consent (given the daemon's configuration), then the same planning pass over every file and
/// row the daemon makes (``JobPlan``).
public enum JobValidator {
    public struct Report: Sendable {
        public var descriptor: JobDescriptor
        public var rows: Int
        public var inScope: Int
        /// In-scope rows with an address kind that has no company name.
        public var invalidRows: Int
        public var contacts: Int
        public var distinctLookups: Int
        /// What the job will report as warnings (a segment that selects nothing…).
        public var warnings: [String]
    }

    /// `configuration`: the daemon's, for the connection, its consent and the input roots; without it those are
    /// not checked and absolute paths are refused.
    public static func validate(descriptorPath: String, configuration: DaemonConfiguration? = nil) throws(JobError)
        -> Report
    {
        let (descriptor, plan, keys) = try JobPlan.preview(descriptorPath: descriptorPath,
                                                           inputRoots: configuration?.inputRoots ?? []) { descriptor throws(JobError) in
            if let configuration { try Self.checkConnection(of: descriptor, in: configuration.connections) }
        }
        return Report(descriptor: descriptor, rows: plan.rows, inScope: plan.inScope, invalidRows: plan.invalidRows,
                      contacts: plan.contacts, distinctLookups: keys.count, warnings: plan.warnings)
    }

    /// Throws unless the connection a job names is configured and may share data with Leadspace.
    public static func checkConnection(of descriptor: JobDescriptor, in connections: [String: ConnectionConfiguration])
        throws(JobError)
    {
        guard let connection = connections[descriptor.connection] else {
            throw JobError(.unknownConnection, "connection \"\(descriptor.connection)\" is not configured",
                           file: "job.json", keyPath: "connection",
                           hint: "configured connections: \(connections.keys.sorted().joined(separator: ", "))")
        }
        guard connection.dataSharingConsent else {
            throw JobError(.consentRequired,
                           "connection \"\(descriptor.connection)\" has no consent to share data with Leadspace",
                           file: "job.json", keyPath: "connection",
                           hint: "an administrator must set \"dataSharingConsent\": true under connections.\(descriptor.connection) "
                               + "in the daemon's configuration, then reload it (systemctl reload enrichd)")
        }
    }
}
