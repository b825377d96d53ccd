import Formats

extension JobDescriptor {
    /// Parses and checks a descriptor's text. Checks that need the data files (columns, rows) come later.
    ///
    /// - Parameter file: the name used in diagnostics, e.g. `job.json`.
    public static func parse(_ bytes: [UInt8], file: String = "job.json") throws(JobError) -> JobDescriptor {
        try Self.parse(bytes, file: file, readingAlso: { _ in }).descriptor
    }

    /// Parses a descriptor that shares its document with keys of another kind (`enrichment.json` adds
    /// `"active"` and `"schedule"`): after the descriptor's own keys, `readOtherKeys` reads those from the
    /// document's reader, and any key neither asked for is still refused.
    public static func parse<Other>(
        _ bytes: [UInt8], file: String, readingAlso readOtherKeys: (JSONObjectReader) throws(JobError) -> Other
    ) throws(JobError) -> (descriptor: JobDescriptor, other: Other) {
        let root = try JSONObjectReader.document(bytes, file: file)

        let name = try root.nonEmptyString("name")
        let outputTable = try root.requiredString(
            "outputTable", hint: "name the output table, e.g. \"outputTable\": \"LeadspaceAccounts\"")
        guard Self.isValidTableName(outputTable) else {
            throw root.invalid(
                "outputTable", "\"\(outputTable)\" is not a valid table name",
                hint: "use letters, digits and underscores, starting with a letter (at most 128 characters)")
        }
        let connection = try root.nonEmptyString("connection") ?? "default"

        guard let customersReader = try root.object("customers") else {
            throw root.missing("customers", hint: "add \"customers\": {\"file\": \"accounts.csv\", \"idColumn\": \"CustomerId\"}")
        }
        let customers = try Self.parseCustomers(customersReader)

        var identifyBy: [AddressKind] = [.primary]
        if let kinds = try root.stringArray("identifyBy") {
            guard !kinds.isEmpty else {
                throw root.invalid("identifyBy", "\"identifyBy\" is empty", hint: "use [\"primary\"], [\"secondary\"] or both")
            }
            identifyBy = []
            for kind in kinds {
                guard let parsed = AddressKind(rawValue: kind) else {
                    throw root.invalid("identifyBy", "unknown address kind \"\(kind)\"",
                                       hint: "use \"primary\" and/or \"secondary\"")
                }
                guard !identifyBy.contains(parsed) else {
                    throw root.invalid("identifyBy", "\"\(kind)\" is listed twice")
                }
                identifyBy.append(parsed)
            }
        }

        guard let mappingReader = try root.object("mapping") else {
            throw root.missing("mapping", hint: "add \"mapping\": {\"primary\": {\"companyName\": \"<column>\"}}")
        }
        var mappings: [AddressKind: FieldMapping] = [:]
        for kind in AddressKind.allCases {
            if let reader = try mappingReader.object(kind.rawValue) {
                mappings[kind] = try Self.parseMapping(reader)
            }
        }
        try mappingReader.finish()
        for kind in identifyBy where mappings[kind] == nil {
            throw mappingReader.missing(
                kind.rawValue,
                hint: "\"identifyBy\" lists \"\(kind.rawValue)\", so \"mapping\" needs a \"\(kind.rawValue)\" mapping")
        }

        var contacts: ContactsSpec?
        if let contactsReader = try root.object("contacts") {
            contacts = try Self.parseContacts(contactsReader)
        }
        var matching = LookupGrouping.Options()
        if let matchingReader = try root.object("matching") {
            matching.incompleteTwins = try matchingReader.bool("incompleteTwins") ?? matching.incompleteTwins
            if let mode = try matchingReader.string("nearDuplicates") {
                guard let parsed = LookupGrouping.NearDuplicates(rawValue: mode) else {
                    throw matchingReader.invalid("nearDuplicates", "unknown near-duplicate mode \"\(mode)\"",
                                                 hint: "use \"off\", \"sameWebsite\" (the default) or \"any\"")
                }
                matching.nearDuplicates = parsed
            }
            try matchingReader.finish()
        }
        var enrichment: EnrichmentName?
        if let text = try root.nonEmptyString("enrichment") {
            do {
                enrichment = try EnrichmentName(validating: text)
            } catch {
                throw root.invalid("enrichment", error.message, hint: error.hint)
            }
        }
        let refreshDueAt = try root.nonEmptyString("refreshDueAt")
        if let refreshDueAt, Timestamp.date(refreshDueAt) == nil {
            throw root.invalid("refreshDueAt", "\"\(refreshDueAt)\" is not an ISO 8601 timestamp",
                               hint: "e.g. \"2026-12-02T06:00:00.000Z\" (set by enrichctl enrichment run and the daemon)")
        }
        var minimumConfidence: CompanyAnswer.Confidence?
        if let text = try root.nonEmptyString("minimumConfidence") {
            guard let level = CompanyAnswer.Confidence.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }),
                level != .veryLow
            else {
                throw root.invalid("minimumConfidence", "\"\(text)\" is not a confidence level a job can ask for",
                                   hint: "use \"High\", \"Medium\" or \"Low\"")
            }
            minimumConfidence = level
        }
        let maxPaidLookups = try root.integer("maxPaidLookups", range: 0...1_000_000_000)
        let other = try readOtherKeys(root)
        try root.finish()

        let descriptor = JobDescriptor(
            name: name ?? outputTable,
            outputTable: outputTable,
            connection: connection,
            customers: customers,
            identifyBy: identifyBy,
            mappings: mappings,
            contacts: contacts,
            matching: matching,
            enrichment: enrichment,
            refreshDueAt: refreshDueAt,
            minimumConfidence: minimumConfidence,
            maxPaidLookups: maxPaidLookups
        )
        return (descriptor, other)
    }

    /// Letters, digits and underscores, starting with a letter: a name every CRM and warehouse accepts.
    public static func isValidTableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 128 else { return false }
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func parseCustomers(_ reader: JSONObjectReader) throws(JobError) -> CustomerDataSet {
        let file = try reader.requiredString("file", hint: "name the customers file, e.g. \"accounts.csv\"")
        let idColumn = try reader.requiredString("idColumn", hint: "name the column holding each customer's id")
        var segment: Segment?
        if let segmentReader = try reader.object("segment") {
            let column = try segmentReader.nonEmptyString("column")
            let values = try segmentReader.stringArray("in") ?? []
            let members = try segmentReader.nonEmptyString("membersFile")
            if column != nil && values.isEmpty {
                throw segmentReader.missing("in", hint: "list the segment's values, e.g. \"in\": [\"EMEA\"]")
            }
            if column == nil && members == nil {
                throw segmentReader.missing(
                    "column", hint: "a segment needs \"column\" + \"in\", or a \"membersFile\" of customer ids")
            }
            try segmentReader.finish()
            segment = Segment(column: column, values: values, membersFile: members)
        }
        let format = try Self.parseFormat(reader, file: file)
        try reader.finish()
        return CustomerDataSet(file: file, idColumn: idColumn, segment: segment, format: format)
    }

    /// An input file's `"delimiter"` and `"encoding"`; a JSON Lines file takes neither (it is always UTF-8).
    private static func parseFormat(_ reader: JSONObjectReader, file: String) throws(JobError) -> CSVFormat {
        var format = CSVFormat()
        let isJSONLines = CSVReader.isJSONLines(file)
        if let delimiter = try reader.string("delimiter") {
            guard let parsed = CSVFormat.delimiters.first(where: { $0.text == delimiter }) else {
                throw reader.invalid(
                    "delimiter", "unknown delimiter \"\(CSVFormat.jsonEscaped(delimiter))\"",
                    hint: "use one of \",\" (the default), \";\", \"\\t\" (tab) or \"|\"")
            }
            guard !isJSONLines else {
                throw reader.invalid("delimiter", "\(file) is JSON Lines, which has no delimiter",
                                     hint: "remove \"delimiter\", or name a .csv file")
            }
            format.delimiter = parsed.byte
        }
        if let encoding = try reader.string("encoding") {
            guard let parsed = TextEncoding(name: encoding) else {
                throw reader.invalid("encoding", "unknown encoding \"\(CSVFormat.jsonEscaped(encoding))\"",
                                     hint: "use one of \(TextEncoding.names) (UTF-8 is the default)")
            }
            guard !isJSONLines || parsed == .utf8 else {
                throw reader.invalid("encoding", "\(file) is JSON Lines, which is always read as UTF-8",
                                     hint: "remove \"encoding\" and convert the file to UTF-8, or export it as CSV")
            }
            format.encoding = parsed
        }
        return format
    }

    private static func parseMapping(_ reader: JSONObjectReader) throws(JobError) -> FieldMapping {
        guard let companyName = try reader.nonEmptyString("companyName") else {
            throw reader.missing(
                "companyName", hint: "the company name is required: map it to a column, e.g. \"companyName\": \"Name\"")
        }
        var mapping = FieldMapping(companyName: companyName, website: try reader.nonEmptyString("website"))
        if let location = try reader.object("location") {
            mapping.country = try location.nonEmptyString("country")
            mapping.state = try location.nonEmptyString("state")
            mapping.city = try location.nonEmptyString("city")
            mapping.street = try location.nonEmptyString("street")
            mapping.postalCode = try location.nonEmptyString("postalCode")
            try location.finish()
        }
        try reader.finish()
        return mapping
    }

    private static func parseContacts(_ reader: JSONObjectReader) throws(JobError) -> ContactsSpec {
        let file = try reader.requiredString("file", hint: "name the contacts file, e.g. \"contacts.csv\"")
        let idColumn = try reader.requiredString("idColumn", hint: "name the column holding each contact's id")
        let customerIdColumn = try reader.requiredString(
            "customerIdColumn", hint: "name the contacts' column that holds their account's customer id")
        var spec = ContactsSpec(file: file, idColumn: idColumn, customerIdColumn: customerIdColumn)
        if let mapping = try reader.object("mapping") {
            spec.firstName = try mapping.nonEmptyString("firstName")
            spec.lastName = try mapping.nonEmptyString("lastName")
            spec.email = try mapping.nonEmptyString("email")
            spec.title = try mapping.nonEmptyString("title")
            try mapping.finish()
        }
        spec.format = try Self.parseFormat(reader, file: file)
        try reader.finish()
        return spec
    }
}
