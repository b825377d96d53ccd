import SplitMix

/// Job levels, departments and the titles that go with each pair.
enum JobTitleCatalog {
    /// Levels with their relative frequency among directory persons.
    static let levels: [(level: String, weight: Int)] = [
        ("C Level", 8), ("VP Level", 12), ("Director Level", 20), ("Manager Level", 28), ("Staff Level", 28),
        ("Board Level", 4),
    ]

    /// Departments below the executive suite.
    static let departments = [
        "Sales", "Marketing", "Engineering", "IT", "Finance", "Human Resources", "Operations", "Legal",
        "Customer Success", "Product",
    ]

    /// Returns a department and a title that fit the level.
    static func role(level: String, random: inout SplitMix64) -> (department: String, title: String) {
        switch level {
        case "C Level":
            let roles: [(String, String)] = [
                ("Executive", "Chief Executive Officer"), ("Finance", "Chief Financial Officer"),
                ("Engineering", "Chief Technology Officer"), ("IT", "Chief Information Officer"),
                ("Marketing", "Chief Marketing Officer"), ("Operations", "Chief Operating Officer"),
                ("Sales", "Chief Revenue Officer"), ("Human Resources", "Chief People Officer"),
                ("Legal", "General Counsel"), ("IT", "Chief Information Security Officer"),
            ]
            let role = random.pick(roles)
            return (role.0, role.1)
        case "Board Level":
            let title = random.pick([
                "Board Member", "Chairman of the Board", "Non-Executive Director", "Board Advisor",
            ])
            return ("Executive", title)
        default:
            let department = random.pick(Self.departments)
            return (department, Self.title(level: level, department: department, random: &random))
        }
    }

    private static func title(level: String, department: String, random: inout SplitMix64) -> String {
        switch level {
        case "VP Level":
            return random.pick(["VP of \(department)", "Vice President, \(department)", "SVP \(department)"])
        case "Director Level":
            return random.pick([
                "Director of \(department)", "Senior Director, \(department)", "\(department) Director",
            ])
        case "Manager Level":
            let manager = department == "Product" ? "Product Manager" : "\(department) Manager"
            return random.pick([manager, "Senior \(manager)", "Head of \(department)"])
        default:
            return random.pick(Self.staffTitles(department: department))
        }
    }

    private static func staffTitles(department: String) -> [String] {
        switch department {
        case "Sales": return ["Account Executive", "Sales Development Representative", "Sales Engineer"]
        case "Marketing": return ["Marketing Specialist", "Content Strategist", "Demand Generation Specialist"]
        case "Engineering": return ["Software Engineer", "Senior Software Engineer", "QA Engineer"]
        case "IT": return ["Systems Administrator", "IT Specialist", "Network Engineer"]
        case "Finance": return ["Accountant", "Financial Analyst", "Controller"]
        case "Human Resources": return ["HR Generalist", "Recruiter", "Talent Acquisition Specialist"]
        case "Operations": return ["Operations Analyst", "Logistics Coordinator", "Buyer"]
        case "Legal": return ["Paralegal", "Legal Counsel", "Compliance Analyst"]
        case "Customer Success": return ["Customer Success Specialist", "Support Engineer", "Account Manager"]
        default: return ["Product Analyst", "Product Designer", "Business Analyst"]
        }
    }
}
