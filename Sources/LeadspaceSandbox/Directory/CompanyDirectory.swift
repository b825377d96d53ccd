/// The sandbox's world: companies and their persons, generated from a seed.
///
/// Generation is a pure function of `(seed, companyCount)`: the same pair gives byte-identical exports on every
/// machine, and the first `n` companies of a larger directory are the companies of a directory of size `n`.
public struct CompanyDirectory: Sendable {
    public let seed: UInt64
    public let companies: [Company]
    public let persons: [Person]

    /// Generates the directory; takes about a second for the default 20,000 companies in a debug build.
    public init(seed: UInt64, companyCount: Int) {
        var generator = DirectoryGenerator(seed: seed)
        generator.generate(companyCount: companyCount)
        self.seed = seed
        self.companies = generator.companies
        self.persons = generator.persons
    }

    /// The persons employed by `company`.
    public func persons(of company: Company) -> ArraySlice<Person> {
        self.persons[company.personIndexes]
    }
}
