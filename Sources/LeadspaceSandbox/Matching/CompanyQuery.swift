/// What a lookup knows about a company, as raw as the customer sent it; the matcher normalizes.
public struct CompanyQuery: Sendable, Hashable {
    public var name: String
    public var website: String
    public var country: String
    /// A directory id the customer already holds (`company.lsid`).
    public var lsid: String
    /// The domain of a person's e-mail address, used when nothing better identifies the company.
    public var emailDomain: String

    public init(
        name: String = "", website: String = "", country: String = "", lsid: String = "", emailDomain: String = ""
    ) {
        self.name = name
        self.website = website
        self.country = country
        self.lsid = lsid
        self.emailDomain = emailDomain
    }
}
