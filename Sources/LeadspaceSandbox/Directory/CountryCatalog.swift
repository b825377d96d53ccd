/// The countries the directory spans, with their cities, legal forms, domains and number formats.
enum CountryCatalog {
    /// All countries in a fixed order (the order is part of the seed's meaning: do not reorder).
    static let all: [CountryProfile] = [
        CountryProfile(
            code: "US", name: "United States",
            aliases: ["USA", "U.S.", "U.S.A.", "United States of America", "America"],
            weight: 340, segment: "AMER", style: .english, streetStyle: .american,
            legalForms: [("Inc", 45), ("LLC", 32), ("Corp", 23)],
            topLevelDomains: [("com", 86), ("io", 5), ("net", 5), ("co", 4)],
            phonePattern: "+1 {A}-###-####",
            cities: [
                City("New York", "NY", postal: ["100##", "101##"], area: "212"),
                City("San Francisco", "CA", postal: ["941##"], area: "415"),
                City("Los Angeles", "CA", postal: ["900##"], area: "213"),
                City("San Jose", "CA", postal: ["951##"], area: "408"),
                City("San Diego", "CA", postal: ["921##"], area: "619"),
                City("Seattle", "WA", postal: ["981##"], area: "206"),
                City("Portland", "OR", postal: ["972##"], area: "503"),
                City("Denver", "CO", postal: ["802##"], area: "303"),
                City("Austin", "TX", postal: ["787##"], area: "512"),
                City("Dallas", "TX", postal: ["752##"], area: "214"),
                City("Houston", "TX", postal: ["770##"], area: "713"),
                City("Chicago", "IL", postal: ["606##"], area: "312"),
                City("Minneapolis", "MN", postal: ["554##"], area: "612"),
                City("Detroit", "MI", postal: ["482##"], area: "313"),
                City("Columbus", "OH", postal: ["432##"], area: "614"),
                City("Pittsburgh", "PA", postal: ["152##"], area: "412"),
                City("Philadelphia", "PA", postal: ["191##"], area: "215"),
                City("Boston", "MA", postal: ["021##"], area: "617"),
                City("Cambridge", "MA", postal: ["021##"], area: "617"),
                City("Hartford", "CT", postal: ["061##"], area: "860"),
                City("Newark", "NJ", postal: ["071##"], area: "973"),
                City("Baltimore", "MD", postal: ["212##"], area: "410"),
                City("Arlington", "VA", postal: ["222##"], area: "703"),
                City("Raleigh", "NC", postal: ["276##"], area: "919"),
                City("Charlotte", "NC", postal: ["282##"], area: "704"),
                City("Atlanta", "GA", postal: ["303##"], area: "404"),
                City("Nashville", "TN", postal: ["372##"], area: "615"),
                City("Miami", "FL", postal: ["331##"], area: "305"),
                City("Tampa", "FL", postal: ["336##"], area: "813"),
                City("Phoenix", "AZ", postal: ["850##"], area: "602"),
                City("Salt Lake City", "UT", postal: ["841##"], area: "801"),
                City("St. Louis", "MO", postal: ["631##"], area: "314"),
                City("Kansas City", "MO", postal: ["641##"], area: "816"),
                City("Milwaukee", "WI", postal: ["532##"], area: "414"),
                City("Indianapolis", "IN", postal: ["462##"], area: "317"),
            ]
        ),
        CountryProfile(
            code: "CA", name: "Canada", aliases: ["CAN"],
            weight: 40, segment: "AMER", style: .english, streetStyle: .american,
            legalForms: [("Inc", 50), ("Ltd", 30), ("Corp", 20)],
            topLevelDomains: [("ca", 65), ("com", 35)],
            phonePattern: "+1 {A}-###-####",
            cities: [
                City("Toronto", "ON", postal: ["M5V #@#", "M5H #@#", "M4W #@#"], area: "416"),
                City("Ottawa", "ON", postal: ["K1P #@#", "K2P #@#"], area: "613"),
                City("Vancouver", "BC", postal: ["V6B #@#", "V6C #@#"], area: "604"),
                City("Montreal", "QC", postal: ["H3B #@#", "H2Y #@#"], area: "514"),
                City("Calgary", "AB", postal: ["T2P #@#"], area: "403"),
                City("Edmonton", "AB", postal: ["T5J #@#"], area: "780"),
                City("Winnipeg", "MB", postal: ["R3C #@#"], area: "204"),
                City("Halifax", "NS", postal: ["B3J #@#"], area: "902"),
            ]
        ),
        CountryProfile(
            code: "GB", name: "United Kingdom",
            aliases: ["GBR", "UK", "U.K.", "Great Britain", "England", "Britain"],
            weight: 100, segment: "EMEA", style: .english, streetStyle: .british,
            legalForms: [("Ltd", 80), ("PLC", 20)],
            topLevelDomains: [("co.uk", 70), ("com", 25), ("uk", 5)],
            phonePattern: "+44 {A} #### ####",
            cities: [
                City(
                    "London", postal: ["EC1A #@@", "EC2M #@@", "W1D #@@", "SE1 #@@", "E14 #@@", "N1 #@@"], area: "20"),
                City("Manchester", postal: ["M1 #@@", "M2 #@@", "M3 #@@"], area: "161"),
                City("Birmingham", postal: ["B1 #@@", "B2 #@@", "B3 #@@"], area: "121"),
                City("Leeds", postal: ["LS1 #@@", "LS2 #@@"], area: "113"),
                City("Glasgow", postal: ["G1 #@@", "G2 #@@"], area: "141"),
                City("Edinburgh", postal: ["EH1 #@@", "EH2 #@@", "EH3 #@@"], area: "131"),
                City("Bristol", postal: ["BS1 #@@", "BS2 #@@"], area: "117"),
                City("Liverpool", postal: ["L1 #@@", "L2 #@@", "L3 #@@"], area: "151"),
                City("Cambridge", postal: ["CB1 #@@", "CB2 #@@"], area: "1223"),
                City("Oxford", postal: ["OX1 #@@", "OX2 #@@"], area: "1865"),
                City("Reading", postal: ["RG1 #@@", "RG2 #@@"], area: "118"),
                City("Cardiff", postal: ["CF10 #@@", "CF11 #@@"], area: "29"),
            ]
        ),
        CountryProfile(
            code: "IE", name: "Ireland", aliases: ["IRL", "Eire", "Republic of Ireland"],
            weight: 15, segment: "EMEA", style: .english, streetStyle: .british,
            legalForms: [("Ltd", 80), ("DAC", 10), ("PLC", 10)],
            topLevelDomains: [("ie", 70), ("com", 30)],
            phonePattern: "+353 {A} ### ####",
            cities: [
                City("Dublin", postal: ["D02 @#@#", "D04 @#@#", "D08 @#@#"], area: "1"),
                City("Cork", postal: ["T12 @#@#"], area: "21"),
                City("Galway", postal: ["H91 @#@#"], area: "91"),
                City("Limerick", postal: ["V94 @#@#"], area: "61"),
            ]
        ),
        CountryProfile(
            code: "DE", name: "Germany", aliases: ["DEU", "Deutschland", "Federal Republic of Germany"],
            weight: 100, segment: "EMEA", style: .german, streetStyle: .german,
            legalForms: [("GmbH", 76), ("AG", 16), ("GmbH & Co. KG", 8)],
            topLevelDomains: [("de", 85), ("com", 15)],
            phonePattern: "+49 {A} #######",
            cities: [
                City("Berlin", postal: ["10###", "12###"], area: "30"),
                City("Hamburg", postal: ["20###", "22###"], area: "40"),
                City("München", postal: ["80###", "81###"], area: "89"),
                City("Köln", postal: ["50###", "51###"], area: "221"),
                City("Frankfurt am Main", postal: ["60###"], area: "69"),
                City("Stuttgart", postal: ["70###"], area: "711"),
                City("Düsseldorf", postal: ["40###"], area: "211"),
                City("Leipzig", postal: ["04###"], area: "341"),
                City("Dortmund", postal: ["44###"], area: "231"),
                City("Essen", postal: ["45###"], area: "201"),
                City("Bremen", postal: ["28###"], area: "421"),
                City("Dresden", postal: ["01###"], area: "351"),
                City("Hannover", postal: ["30###"], area: "511"),
                City("Nürnberg", postal: ["90###"], area: "911"),
                City("Karlsruhe", postal: ["76###"], area: "721"),
                City("Mannheim", postal: ["68###"], area: "621"),
            ]
        ),
        CountryProfile(
            code: "AT", name: "Austria", aliases: ["AUT", "Österreich", "Oesterreich"],
            weight: 15, segment: "EMEA", style: .german, streetStyle: .german,
            legalForms: [("GmbH", 85), ("AG", 15)],
            topLevelDomains: [("at", 80), ("com", 20)],
            phonePattern: "+43 {A} ######",
            cities: [
                City("Wien", postal: ["10#0", "11#0"], area: "1"),
                City("Graz", postal: ["80#0"], area: "316"),
                City("Linz", postal: ["40#0"], area: "732"),
                City("Salzburg", postal: ["50#0"], area: "662"),
                City("Innsbruck", postal: ["60#0"], area: "512"),
            ]
        ),
        CountryProfile(
            code: "CH", name: "Switzerland", aliases: ["CHE", "Schweiz", "Suisse", "Svizzera"],
            weight: 20, segment: "EMEA", style: .german, streetStyle: .swiss,
            legalForms: [("AG", 60), ("GmbH", 25), ("SA", 15)],
            topLevelDomains: [("ch", 85), ("com", 15)],
            phonePattern: "+41 {A} ### ## ##",
            cities: [
                City("Zürich", postal: ["80##"], area: "44"),
                City("Basel", postal: ["40##"], area: "61"),
                City("Bern", postal: ["30##"], area: "31"),
                City("Genève", postal: ["12##"], area: "22"),
                City("Lausanne", postal: ["10##"], area: "21"),
                City("Luzern", postal: ["60##"], area: "41"),
            ]
        ),
        CountryProfile(
            code: "FR", name: "France", aliases: ["FRA", "République française"],
            weight: 70, segment: "EMEA", style: .french, streetStyle: .french,
            legalForms: [("SAS", 50), ("SA", 25), ("SARL", 25)],
            topLevelDomains: [("fr", 80), ("com", 20)],
            phonePattern: "+33 {A} ## ## ## ##",
            cities: [
                City("Paris", postal: ["7500#", "7501#"], area: "1"),
                City("Lyon", postal: ["6900#"], area: "4"),
                City("Marseille", postal: ["1300#", "1301#"], area: "4"),
                City("Toulouse", postal: ["3100#"], area: "5"),
                City("Nice", postal: ["0600#"], area: "4"),
                City("Nantes", postal: ["4400#"], area: "2"),
                City("Strasbourg", postal: ["6700#"], area: "3"),
                City("Montpellier", postal: ["3400#"], area: "4"),
                City("Bordeaux", postal: ["3300#"], area: "5"),
                City("Lille", postal: ["5900#"], area: "3"),
                City("Rennes", postal: ["3500#"], area: "2"),
                City("Grenoble", postal: ["3800#"], area: "4"),
            ]
        ),
        CountryProfile(
            code: "BE", name: "Belgium", aliases: ["BEL", "Belgique", "België", "Belgie"],
            weight: 15, segment: "EMEA", style: .dutch, streetStyle: .dutch,
            legalForms: [("NV", 40), ("BV", 35), ("SA", 25)],
            topLevelDomains: [("be", 80), ("com", 20)],
            phonePattern: "+32 {A} ### ## ##",
            cities: [
                City("Brussels", postal: ["10##"], area: "2"),
                City("Antwerpen", postal: ["20##"], area: "3"),
                City("Gent", postal: ["90##"], area: "9"),
                City("Leuven", postal: ["30##"], area: "16"),
                City("Liège", postal: ["40##"], area: "4"),
            ]
        ),
        CountryProfile(
            code: "NL", name: "Netherlands", aliases: ["NLD", "The Netherlands", "Holland", "Nederland"],
            weight: 45, segment: "EMEA", style: .dutch, streetStyle: .dutch,
            legalForms: [("BV", 85), ("NV", 15)],
            topLevelDomains: [("nl", 85), ("com", 15)],
            phonePattern: "+31 {A} ### ####",
            cities: [
                City("Amsterdam", postal: ["10## @@"], area: "20"),
                City("Rotterdam", postal: ["30## @@"], area: "10"),
                City("Den Haag", postal: ["25## @@"], area: "70"),
                City("Utrecht", postal: ["35## @@"], area: "30"),
                City("Eindhoven", postal: ["56## @@"], area: "40"),
                City("Groningen", postal: ["97## @@"], area: "50"),
                City("Tilburg", postal: ["50## @@"], area: "13"),
                City("Almere", postal: ["13## @@"], area: "36"),
            ]
        ),
        CountryProfile(
            code: "SE", name: "Sweden", aliases: ["SWE", "Sverige"],
            weight: 30, segment: "EMEA", style: .nordic, streetStyle: .swedish,
            legalForms: [("AB", 100)],
            topLevelDomains: [("se", 85), ("com", 15)],
            phonePattern: "+46 {A} ### ## ##",
            cities: [
                City("Stockholm", postal: ["11# ##"], area: "8"),
                City("Göteborg", postal: ["41# ##"], area: "31"),
                City("Malmö", postal: ["21# ##"], area: "40"),
                City("Uppsala", postal: ["75# ##"], area: "18"),
                City("Västerås", postal: ["72# ##"], area: "21"),
                City("Linköping", postal: ["58# ##"], area: "13"),
            ]
        ),
        CountryProfile(
            code: "FI", name: "Finland", aliases: ["FIN", "Suomi"],
            weight: 15, segment: "EMEA", style: .nordic, streetStyle: .finnish,
            legalForms: [("Oy", 85), ("Oyj", 15)],
            topLevelDomains: [("fi", 90), ("com", 10)],
            phonePattern: "+358 {A} ### ####",
            cities: [
                City("Helsinki", postal: ["001#0", "005#0"], area: "9"),
                City("Espoo", postal: ["021#0"], area: "9"),
                City("Tampere", postal: ["331#0"], area: "3"),
                City("Turku", postal: ["201#0"], area: "2"),
                City("Oulu", postal: ["901#0"], area: "8"),
            ]
        ),
        CountryProfile(
            code: "NO", name: "Norway", aliases: ["NOR", "Norge"],
            weight: 15, segment: "EMEA", style: .nordic, streetStyle: .norwegian,
            legalForms: [("AS", 85), ("ASA", 15)],
            topLevelDomains: [("no", 90), ("com", 10)],
            phonePattern: "+47 ## ## ## ##",
            cities: [
                City("Oslo", postal: ["01##", "02##"]),
                City("Bergen", postal: ["50##"]),
                City("Trondheim", postal: ["70##"]),
                City("Stavanger", postal: ["40##"]),
            ]
        ),
        CountryProfile(
            code: "DK", name: "Denmark", aliases: ["DNK", "Danmark"],
            weight: 15, segment: "EMEA", style: .nordic, streetStyle: .danish,
            legalForms: [("ApS", 55), ("A/S", 45)],
            topLevelDomains: [("dk", 90), ("com", 10)],
            phonePattern: "+45 ## ## ## ##",
            cities: [
                City("København", postal: ["1###", "2###"]),
                City("Aarhus", postal: ["80##"]),
                City("Odense", postal: ["50##"]),
                City("Aalborg", postal: ["90##"]),
            ]
        ),
        CountryProfile(
            code: "IT", name: "Italy", aliases: ["ITA", "Italia"],
            weight: 50, segment: "EMEA", style: .italian, streetStyle: .italian,
            legalForms: [("Srl", 60), ("SpA", 40)],
            topLevelDomains: [("it", 85), ("com", 15)],
            phonePattern: "+39 {A} #######",
            cities: [
                City("Milano", postal: ["201##"], area: "02"),
                City("Roma", postal: ["001##"], area: "06"),
                City("Torino", postal: ["101##"], area: "011"),
                City("Napoli", postal: ["801##"], area: "081"),
                City("Bologna", postal: ["401##"], area: "051"),
                City("Firenze", postal: ["501##"], area: "055"),
                City("Genova", postal: ["161##"], area: "010"),
                City("Venezia", postal: ["301##"], area: "041"),
                City("Verona", postal: ["371##"], area: "045"),
            ]
        ),
        CountryProfile(
            code: "ES", name: "Spain", aliases: ["ESP", "España", "Espana"],
            weight: 45, segment: "EMEA", style: .spanish, streetStyle: .spanish,
            legalForms: [("SL", 70), ("SA", 30)],
            topLevelDomains: [("es", 80), ("com", 20)],
            phonePattern: "+34 {A} ### ###",
            cities: [
                City("Madrid", postal: ["280##"], area: "91"),
                City("Barcelona", postal: ["080##"], area: "93"),
                City("Valencia", postal: ["460##"], area: "96"),
                City("Sevilla", postal: ["410##"], area: "95"),
                City("Bilbao", postal: ["480##"], area: "94"),
                City("Málaga", postal: ["290##"], area: "95"),
                City("Zaragoza", postal: ["500##"], area: "976"),
            ]
        ),
        CountryProfile(
            code: "AU", name: "Australia", aliases: ["AUS"],
            weight: 40, segment: "APAC", style: .english, streetStyle: .british,
            legalForms: [("Pty Ltd", 90), ("Ltd", 10)],
            topLevelDomains: [("com.au", 88), ("net.au", 7), ("com", 5)],
            phonePattern: "+61 {A} #### ####",
            cities: [
                City("Sydney", "NSW", postal: ["20##"], area: "2"),
                City("Melbourne", "VIC", postal: ["30##"], area: "3"),
                City("Brisbane", "QLD", postal: ["40##"], area: "7"),
                City("Perth", "WA", postal: ["60##"], area: "8"),
                City("Adelaide", "SA", postal: ["50##"], area: "8"),
                City("Canberra", "ACT", postal: ["26##"], area: "2"),
                City("Hobart", "TAS", postal: ["70##"], area: "3"),
            ]
        ),
        CountryProfile(
            code: "JP", name: "Japan", aliases: ["JPN", "Nippon", "Nihon"],
            weight: 40, segment: "APAC", style: .japanese, streetStyle: .japanese,
            legalForms: [("KK", 80), ("Co., Ltd.", 20)],
            topLevelDomains: [("co.jp", 85), ("jp", 10), ("com", 5)],
            phonePattern: "+81 {A}-####-####",
            cities: [
                City("Tokyo", postal: ["100-####", "105-####", "160-####"], area: "3"),
                City("Osaka", postal: ["530-####", "541-####"], area: "6"),
                City("Nagoya", postal: ["450-####", "460-####"], area: "52"),
                City("Yokohama", postal: ["220-####"], area: "45"),
                City("Fukuoka", postal: ["810-####"], area: "92"),
                City("Sapporo", postal: ["060-####"], area: "11"),
                City("Kyoto", postal: ["600-####"], area: "75"),
                City("Kobe", postal: ["650-####"], area: "78"),
            ]
        ),
    ]

    /// Looks a country up by its alpha-2 code.
    static func profile(code: String) -> CountryProfile? {
        Self.byCode[code]
    }

    private static let byCode: [String: CountryProfile] = Dictionary(
        uniqueKeysWithValues: Self.all.map { ($0.code, $0) }
    )
}
