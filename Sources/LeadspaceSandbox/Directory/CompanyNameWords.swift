/// Word lists company names are built from, per naming style.
enum CompanyNameWords {
    /// Invented or evocative brand words ("Northwind", "Sakura"), used as the first part of a name.
    static func brands(for style: NameStyle) -> [String] {
        switch style {
        case .english: return Self.englishBrands
        case .german: return Self.germanBrands
        case .french: return Self.frenchBrands
        case .dutch: return Self.dutchBrands
        case .nordic: return Self.nordicBrands
        case .italian: return Self.italianBrands
        case .spanish: return Self.spanishBrands
        case .japanese: return Self.japaneseBrands
        }
    }

    /// Compound brand parts ("North" + "bridge" → "Northbridge"); styles without them use ``brands(for:)`` only.
    static func compoundParts(for style: NameStyle) -> (heads: [String], tails: [String])? {
        switch style {
        case .english:
            return (
                [
                    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Gold", "Iron", "Stone",
                    "Bright", "Clear", "High", "Oak", "Pine", "River", "Lake", "Sun", "Star", "Cedar", "Fox", "Elm",
                    "Maple", "Hawk", "Crown", "Bay", "Harbor", "Summit", "Cloud",
                ],
                [
                    "field", "bridge", "water", "gate", "wood", "view", "stone", "brook", "point", "ridge", "haven",
                    "crest", "line", "way", "port", "ford", "vale", "mark", "light", "wind",
                ]
            )
        case .german:
            return (
                [
                    "Nord", "Süd", "Ost", "West", "Rhein", "Berg", "Stahl", "Licht", "Wald", "Stern", "Eich", "Linden",
                    "Falken", "Adler", "Hansa", "Elb", "Main", "Kron", "Sonnen", "Tal",
                ],
                ["stein", "feld", "werk", "hof", "tal", "berg", "brück", "au", "haus", "burg", "quell", "mark"]
            )
        case .dutch:
            return (
                ["Noord", "Zuid", "Oost", "West", "Rijn", "Maas", "Delta", "Zee", "Duin", "Polder", "Molen", "Linde"],
                ["veld", "dijk", "haven", "burg", "hof", "kamp", "brug", "wijk", "poort", "straal"]
            )
        case .nordic:
            return (
                [
                    "Nord", "Fjord", "Vik", "Berg", "Sjö", "Skog", "Lind", "Ek", "Björk", "Ström", "Dal", "Holm",
                    "Sund", "Lund", "Vinter", "Is", "Sol", "Havs",
                ],
                ["vik", "berg", "dal", "holm", "sund", "lund", "strand", "näs", "fors", "by", "stad", "ås"]
            )
        case .french, .italian, .spanish, .japanese:
            return nil
        }
    }

    /// Family names for partnership-style names ("Carter & Hughes", "Bergmann Maschinenbau").
    static func founders(for style: NameStyle) -> [String] {
        PersonNameWords.lastNames(for: style)
    }

    private static let englishBrands = [
        "Northwind", "Bluewater", "Summit", "Pinnacle", "Redwood", "Ironbridge", "Silverline", "Brightpath",
        "Clearwater", "Crestview", "Evergreen", "Falcon", "Granite", "Harborview", "Highland", "Keystone",
        "Lakeshore", "Liberty", "Meridian", "Oakridge", "Pioneer", "Quantum", "Riverbend", "Sterling", "Stonegate",
        "Trident", "Vanguard", "Westbrook", "Wildrose", "Aspen", "Beacon", "Cobalt", "Copperfield", "Crescent",
        "Eastgate", "Elmwood", "Foxglove", "Goldleaf", "Greenfield", "Hawthorne", "Horizon", "Ironwood", "Juniper",
        "Kingsbridge", "Lighthouse", "Maplewood", "Millbrook", "Nexus", "Oakmont", "Orion", "Parkside", "Prairie",
        "Redstone", "Ridgeline", "Riverstone", "Sagebrush", "Sequoia", "Shoreline", "Skyline", "Southport",
        "Starlight", "Stonebridge", "Sunrise", "Tidewater", "Timberline", "Trailhead", "Westfield", "Whitestone",
        "Windmill", "Zenith", "Apex", "Atlas", "Bridgewater", "Cascade", "Centennial", "Cornerstone", "Driftwood",
        "Emerald", "Frontier", "Glacier", "Heritage", "Hudson", "Landmark", "Magnolia", "Mesa", "Monarch", "Mosaic",
        "Northstar", "Oasis", "Pacific", "Paragon", "Patriot", "Prospect", "Radiant", "Rockwell", "Sapphire",
        "Sentinel", "Silverado", "Spectrum", "Titan", "Trinity", "Vertex", "Vista", "Waypoint", "Willow",
        "Yellowstone", "Acorn", "Amberly", "Archway", "Ascent", "Bayside", "Blackrock", "Bluebird", "Boulder",
        "Brightwave", "Canopy", "Capstone", "Cardinal", "Chestnut", "Clearpoint", "Compass", "Coral", "Cypress",
        "Dovetail", "Eagle Rock", "Echo", "Ember", "Fairview", "Fieldstone", "Flagship", "Foothill", "Gateway",
        "Greenleaf", "Halcyon", "Hartwell", "Ivory", "Jetstream", "Kestrel", "Lantern", "Laurel", "Lodestar",
        "Marlin", "Meadowbrook", "Mill Creek", "Mountainview", "Newbridge", "Nightingale", "Oakhurst", "Osprey",
        "Pebble", "Peregrine", "Polaris", "Quarry", "Rainier", "Raven", "Redhawk", "Sawtooth", "Seaview",
        "Shamrock", "Snowcap", "Solstice", "Stillwater", "Sunstone", "Tamarack", "Thistle", "Topaz", "Tributary",
        "Upland", "Verdant", "Wayfarer", "Wellspring", "Whitehall", "Windward", "Woodland",
    ]

    private static let germanBrands = [
        "Rheintal", "Alpen", "Nordsee", "Schwarzwald", "Elbe", "Donau", "Isar", "Harz", "Spree", "Bodensee",
        "Taunus", "Eifel", "Ostsee", "Weser", "Neckar", "Allgäu", "Mosel", "Ruhr", "Saale", "Fichtel",
        "Sauerland", "Odenwald", "Spessart", "Hunsrück", "Westerwald", "Rhön", "Vogtland", "Lausitz", "Havel",
        "Zugspitze", "Tauern", "Kärnten", "Wachau", "Inntal", "Pilatus", "Säntis", "Jura", "Aare", "Hanse",
        "Germania", "Teutonia", "Concordia", "Atlas", "Phönix", "Optima", "Prima", "Solid", "Trion", "Vectra",
    ]

    private static let frenchBrands = [
        "Atlantique", "Provence", "Alpes", "Loire", "Bretagne", "Normandie", "Rhône", "Garonne", "Azur", "Lumière",
        "Horizon", "Méditerranée", "Vendée", "Aquitaine", "Savoie", "Vercors", "Cévennes", "Lorraine", "Alsace",
        "Champagne", "Bourgogne", "Dauphiné", "Océane", "Étoile", "Arc-en-Ciel", "Soleil", "Zénith", "Cap Nord",
        "Mistral", "Sirocco", "Opale", "Émeraude", "Saphir", "Lutèce", "Armor", "Ouest", "Hexagone", "Odyssée",
    ]

    private static let dutchBrands = [
        "Noordzee", "Delta", "Holland", "Polder", "Rijnland", "Amstel", "Maasland", "Oranje", "Tulp", "Molenaar",
        "Duinzicht", "Zeeland", "Friesland", "Brabant", "Veluwe", "Kempen", "Schelde", "Vlaanderen", "Lage Landen",
        "Waddenzee", "Dijkstra", "Horizon", "Zilvermeer", "Kroonland", "Windkracht", "Hoogland", "Twente",
    ]

    private static let nordicBrands = [
        "Nordic", "Baltic", "Arctic", "Polar", "Aurora", "Fjordvik", "Granit", "Tundra", "Norrsken", "Midnatt",
        "Saga", "Valhall", "Skandia", "Viking", "Nordlys", "Havbris", "Islandia", "Lofoten", "Kiruna", "Sarek",
        "Kalevala", "Lappi", "Suomen", "Fenno", "Jylland", "Øresund", "Kattegat", "Skagen", "Bornholm", "Gotland",
        "Dalarna", "Norrland", "Halland", "Botnia", "Karelia", "Saimaa", "Nordkapp", "Telemark", "Hardanger",
    ]

    private static let italianBrands = [
        "Adriatica", "Tirrena", "Padana", "Alpina", "Lombarda", "Toscana", "Veneta", "Ligure", "Sabauda", "Etrusca",
        "Aurora", "Fenice", "Stella", "Vesuvio", "Dolomiti", "Appennino", "Laguna", "Sole", "Mediterranea", "Italica",
        "Orizzonte", "Arcobaleno", "Zenit", "Maestrale", "Scirocco", "Ponente", "Levante", "Tevere", "Arno", "Brenta",
    ]

    private static let spanishBrands = [
        "Ibérica", "Levante", "Cantábrica", "Mediterránea", "Atlántica", "Andaluza", "Castellana", "Galaica",
        "Hispania", "Aurora", "Estrella", "Sol", "Horizonte", "Sierra", "Meseta", "Pirineo", "Guadalquivir", "Ebro",
        "Tajo", "Duero", "Alhambra", "Mistral", "Azahar", "Olivo", "Cierzo", "Tramontana", "Baleares", "Canarias",
    ]

    private static let japaneseBrands = [
        "Sakura", "Fuji", "Nippon", "Yamato", "Hikari", "Asahi", "Tokai", "Kansai", "Shinsei", "Daiichi",
        "Mitsuboshi", "Kyokuto", "Sanwa", "Taiyo", "Heiwa", "Chuo", "Toyo", "Hokuto", "Meiji", "Tenryu", "Aoba",
        "Midori", "Kaze", "Hoshi", "Nishi", "Higashi", "Minami", "Kita", "Shinwa", "Kyowa", "Seiwa", "Fuyo",
        "Kinki", "Hokuriku", "Setouchi", "Kibo", "Mirai", "Sora", "Umi", "Yamabiko",
    ]
}
