import SplitMix

/// Writes street addresses the way each country writes them ("350 Mission St, Suite 400", "Hauptstraße 12").
enum StreetAddressMaker {
    /// Returns one street address line for the style, drawing every choice from `random`.
    static func street(style: StreetStyle, random: inout SplitMix64) -> String {
        let number = Self.houseNumber(style: style, random: &random)
        switch style {
        case .american:
            let name = random.pick(Self.americanNames)
            let suffix = random.pick(["St", "Ave", "Blvd", "Dr", "Rd", "Way", "Pkwy", "Ln"])
            let line = "\(number) \(name) \(suffix)"
            return random.chance(0.3) ? "\(line), Suite \(random.int(in: 1...24) * 100)" : line
        case .british:
            let name = random.pick(Self.britishNames)
            let suffix = random.pick(["Street", "Road", "Lane", "Place", "Square", "Way", "Court"])
            let line = "\(number) \(name) \(suffix)"
            return random.chance(0.15) ? "Unit \(random.int(in: 1...40)), \(line)" : line
        case .german:
            let name = random.pick(Self.germanNames)
            let suffix = random.pick(["straße", "straße", "weg", "allee", "ring"])
            return "\(name)\(suffix) \(number)"
        case .swiss:
            let name = random.pick(Self.germanNames)
            let suffix = random.pick(["strasse", "strasse", "weg", "gasse"])
            return "\(name)\(suffix) \(number)"
        case .french:
            let kind = random.pick(["rue", "rue", "avenue", "boulevard", "place"])
            return "\(number) \(kind) \(random.pick(Self.frenchNames))"
        case .dutch:
            let name = random.pick(Self.dutchNames)
            let suffix = random.pick(["straat", "straat", "weg", "laan", "gracht", "plein"])
            return "\(name)\(suffix) \(number)"
        case .swedish:
            let name = random.pick(Self.swedishNames)
            return "\(name)\(random.pick(["gatan", "gatan", "vägen"])) \(number)"
        case .finnish:
            let name = random.pick(Self.finnishNames)
            return "\(name)\(random.pick(["katu", "katu", "tie"])) \(number)"
        case .norwegian:
            return "\(random.pick(Self.norwegianNames)) gate \(number)"
        case .danish:
            let name = random.pick(Self.danishNames)
            return "\(name)\(random.pick(["gade", "gade", "vej"])) \(number)"
        case .italian:
            let kind = random.pick(["Via", "Via", "Corso", "Viale", "Piazza"])
            return "\(kind) \(random.pick(Self.italianNames)) \(number)"
        case .spanish:
            let kind = random.pick(["Calle de", "Calle de", "Avenida de", "Paseo de"])
            return "\(kind) \(random.pick(Self.spanishNames)), \(number)"
        case .japanese:
            let block = "\(random.int(in: 1...9))-\(random.int(in: 1...20))-\(random.int(in: 1...30))"
            return "\(block) \(random.pick(Self.japaneseNames))"
        }
    }

    private static func houseNumber(style: StreetStyle, random: inout SplitMix64) -> Int {
        switch style {
        case .american: return random.int(in: 1...9_999)
        case .british, .french, .spanish, .italian: return random.int(in: 1...240)
        default: return random.int(in: 1...120)
        }
    }

    private static let americanNames = [
        "Main", "Oak", "Maple", "Market", "Mission", "Park", "Washington", "Lincoln", "Madison", "Jefferson",
        "Lake", "Hill", "Cedar", "Pine", "Elm", "Sunset", "Commerce", "Technology", "Innovation", "Congress",
        "Peachtree", "Michigan", "Wacker", "Howard", "Spring", "Church", "River", "Harbor", "Center", "Franklin",
        "Broad", "Walnut", "Chestnut", "Liberty", "Jackson", "Monroe", "Highland", "Industrial", "Corporate",
    ]

    private static let britishNames = [
        "High", "Station", "Church", "Victoria", "Queen", "King", "Albert", "George", "Bridge", "Mill", "Park",
        "London", "Castle", "Market", "York", "Grosvenor", "Baker", "Oxford", "Regent", "Canal", "Collins", "Pitt",
        "Elizabeth", "Bourke", "Flinders", "Harcourt", "Grafton", "Wellington", "Temple", "Chancery",
    ]

    private static let germanNames = [
        "Haupt", "Bahnhof", "Goethe", "Schiller", "Linden", "Berliner", "Friedrich", "Kaiser", "Industrie",
        "Garten", "Wilhelm", "Mozart", "Bismarck", "Markt", "Kirch", "Post", "Schloss", "Rathaus", "Wiesen",
        "Berg", "Hafen", "Rosen", "Buchen", "Eichen", "Gewerbe", "Daimler", "Siemens", "Leibniz", "Kant",
    ]

    private static let frenchNames = [
        "de la République", "Victor Hugo", "de Rivoli", "du Faubourg Saint-Honoré", "de la Paix", "Jean Jaurès",
        "Gambetta", "Pasteur", "Voltaire", "du Général de Gaulle", "des Lilas", "Foch", "de Verdun", "de Paris",
        "Nationale", "de la Gare", "du Commerce", "Saint-Michel", "des Champs", "Émile Zola", "de l'Église",
        "Carnot", "Jules Ferry", "de la Liberté",
    ]

    private static let dutchNames = [
        "Keizers", "Heren", "Prinsen", "Kerk", "Dorps", "Molen", "Stations", "Markt", "Nieuwe", "Oude",
        "Wilhelmina", "Juliana", "Beatrix", "Hoofd", "Havens", "Industrie", "Parallel", "Zuid", "Noord", "Linden",
    ]

    private static let swedishNames = [
        "Drottning", "Kungs", "Stor", "Vasa", "Svea", "Hamn", "Kyrk", "Skol", "Strand", "Linné", "Göt", "Torg",
        "Industri", "Sjö", "Östra Lång", "Västra Hamn",
    ]

    private static let finnishNames = [
        "Aleksanterin", "Hämeen", "Kauppa", "Rauta", "Itäinen", "Läntinen", "Kirkko", "Satama", "Teollisuus",
        "Asema", "Mannerheimin", "Pohjois", "Etelä",
    ]

    private static let norwegianNames = [
        "Karl Johans", "Dronningens", "Kongens", "Akers", "Prinsens", "Tollbu", "Nedre Slotts", "Øvre Slotts",
        "Torg", "Kirke", "Stor", "Strand",
    ]

    private static let danishNames = [
        "Øster", "Vester", "Nørre", "Bred", "Kongens", "Amager", "Frederiks", "Havne", "Strand", "Kirke", "Skole",
        "Industri", "Kastanie",
    ]

    private static let italianNames = [
        "Roma", "Garibaldi", "Giuseppe Verdi", "Dante", "Cavour", "Mazzini", "Vittorio Emanuele II",
        "della Repubblica", "Torino", "Milano", "dei Mille", "XX Settembre", "Marconi", "Matteotti", "Gramsci",
        "della Libertà", "Manzoni", "San Marco", "dell'Industria",
    ]

    private static let spanishNames = [
        "Alcalá", "Serrano", "la Castellana", "Goya", "Velázquez", "Colón", "Mayor", "Príncipe", "la Constitución",
        "Gran Vía", "San Vicente", "la Industria", "Cervantes", "la Paz", "Andalucía", "Cataluña",
    ]

    private static let japaneseNames = [
        "Marunouchi", "Nishi-Shinjuku", "Umeda", "Sakae", "Minatomirai", "Hakata", "Shibuya", "Roppongi", "Ginza",
        "Otemachi", "Namba", "Nihonbashi", "Shinagawa", "Kitahama", "Tenjin", "Karasuma",
    ]
}
