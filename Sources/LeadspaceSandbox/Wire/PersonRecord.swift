/// The `person` object of an answer.
public struct PersonRecord: Encodable, Sendable, Hashable {
    public var ugPersonID: String
    public var firstName: String
    public var lastName: String
    public var title: String
    public var level: String
    public var department: String
    public var email: String
    public var originalEmailVerificationStatus: String
    public var verificationStatus: String
    public var linkedInProfile: String
    public var phone: String
    public var analytics: Analytics

    /// Persona fit, as `analytics.scores[]` and `analytics.max_positive_score_profiles[]`.
    public struct Analytics: Encodable, Sendable, Hashable {
        public var scores: [Score]
        public var maxPositiveScoreProfiles: [String]

        private enum CodingKeys: String, CodingKey {
            case scores
            case maxPositiveScoreProfiles = "max_positive_score_profiles"
        }
    }

    public struct Score: Encodable, Sendable, Hashable {
        public var profileName: String
        public var score: Value

        public struct Value: Encodable, Sendable, Hashable {
            public var value: Int
            public var bucket: String
        }

        private enum CodingKeys: String, CodingKey {
            case profileName = "profile_name"
            case score
        }
    }

    private enum CodingKeys: String, CodingKey {
        case ugPersonID = "ug_person_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case title, level, department, email
        case originalEmailVerificationStatus = "original_email_verification_status"
        case verificationStatus = "verification_status"
        case linkedInProfile = "linkedin_profile"
        case phone, analytics
    }

    init(person: Person) {
        self.ugPersonID = person.id
        self.firstName = person.firstName
        self.lastName = person.lastName
        self.title = person.title
        self.level = person.level
        self.department = person.department
        self.email = person.email
        self.originalEmailVerificationStatus = person.emailVerification
        self.verificationStatus = person.verificationStatus
        self.linkedInProfile = person.linkedInURL
        self.phone = person.phone
        self.analytics = Analytics(
            scores: person.scores.map {
                Score(profileName: $0.profileName, score: .init(value: $0.value, bucket: $0.bucket))
            },
            maxPositiveScoreProfiles: person.maxPositiveScoreProfiles
        )
    }
}
