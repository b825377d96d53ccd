/// The industry table: every SIC/NAICS pair belongs to exactly one sub-industry of one industry.
enum IndustryCatalog {
    private typealias Sub = Industry.SubIndustry

    /// All industries in a fixed order with relative weights (the order is part of the seed's meaning).
    static let all: [(industry: Industry, weight: Int)] = [
        (
            Industry(
                name: "Software & Internet",
                subIndustries: [
                    Sub(name: "Enterprise Software", sic: "7372", naics: "511210"),
                    Sub(name: "Internet Services", sic: "7374", naics: "519130"),
                    Sub(name: "Data & Analytics", sic: "7374", naics: "518210"),
                ],
                revenuePerEmployee: 260_000,
                englishNouns: ["Software", "Labs", "Analytics", "Cloud", "Digital", "Data", "Technologies", "Systems"],
                localNouns: [
                    .german: ["Software", "Informatik", "Datentechnik", "Digital"],
                    .french: ["Logiciels", "Informatique", "Numérique", "Technologies"],
                    .dutch: ["Software", "Automatisering", "Digitaal", "ICT"],
                    .italian: ["Informatica", "Software", "Sistemi Digitali"],
                    .spanish: ["Informática", "Software", "Tecnologías Digitales"],
                ]
            ), 110
        ),
        (
            Industry(
                name: "Computer Hardware & Electronics",
                subIndustries: [
                    Sub(name: "Electronic Components", sic: "3679", naics: "334419"),
                    Sub(name: "Computer Equipment", sic: "3571", naics: "334111"),
                    Sub(name: "Semiconductors", sic: "3674", naics: "334413"),
                ],
                revenuePerEmployee: 380_000,
                englishNouns: ["Electronics", "Devices", "Semiconductor", "Circuits", "Microsystems", "Instruments"],
                localNouns: [
                    .german: ["Elektronik", "Elektrotechnik", "Halbleiter", "Gerätebau"],
                    .french: ["Électronique", "Composants", "Instruments"],
                    .dutch: ["Elektronica", "Componenten", "Instrumenten"],
                    .italian: ["Elettronica", "Componenti", "Strumenti"],
                    .spanish: ["Electrónica", "Componentes", "Instrumentos"],
                ]
            ), 45
        ),
        (
            Industry(
                name: "Telecommunications",
                subIndustries: [
                    Sub(name: "Wireless Carriers", sic: "4812", naics: "517312"),
                    Sub(name: "Telecom Equipment", sic: "3661", naics: "334210"),
                    Sub(name: "Internet Service Providers", sic: "4813", naics: "517311"),
                ],
                revenuePerEmployee: 420_000,
                englishNouns: ["Telecom", "Networks", "Communications", "Wireless", "Broadband", "Connect"],
                localNouns: [
                    .german: ["Telekom", "Netze", "Kommunikation", "Funktechnik"],
                    .french: ["Télécom", "Réseaux", "Communications"],
                    .dutch: ["Telecom", "Netwerken", "Communicatie"],
                    .italian: ["Telecomunicazioni", "Reti", "Comunicazioni"],
                    .spanish: ["Telecomunicaciones", "Redes", "Comunicaciones"],
                ]
            ), 30
        ),
        (
            Industry(
                name: "Financial Services",
                subIndustries: [
                    Sub(name: "Banking", sic: "6021", naics: "522110"),
                    Sub(name: "Investment Management", sic: "6282", naics: "523920"),
                    Sub(name: "Payments", sic: "6099", naics: "522320"),
                ],
                revenuePerEmployee: 520_000,
                englishNouns: [
                    "Capital", "Financial", "Partners", "Investments", "Bancorp", "Asset Management", "Payments",
                ],
                localNouns: [
                    .german: ["Kapital", "Finanz", "Vermögensverwaltung", "Bankhaus"],
                    .french: ["Finance", "Capital", "Gestion", "Investissements"],
                    .dutch: ["Financiering", "Kapitaal", "Vermogensbeheer"],
                    .italian: ["Finanziaria", "Capitale", "Investimenti"],
                    .spanish: ["Financiera", "Capital", "Inversiones"],
                ]
            ), 60
        ),
        (
            Industry(
                name: "Insurance",
                subIndustries: [
                    Sub(name: "Property & Casualty Insurance", sic: "6331", naics: "524126"),
                    Sub(name: "Life & Health Insurance", sic: "6311", naics: "524113"),
                    Sub(name: "Insurance Brokers", sic: "6411", naics: "524210"),
                ],
                revenuePerEmployee: 460_000,
                englishNouns: ["Insurance", "Assurance", "Underwriters", "Mutual", "Risk Partners"],
                localNouns: [
                    .german: ["Versicherung", "Versicherungsmakler", "Assekuranz"],
                    .french: ["Assurances", "Mutuelle", "Courtage"],
                    .dutch: ["Verzekeringen", "Assurantiën"],
                    .italian: ["Assicurazioni", "Mutua", "Broker"],
                    .spanish: ["Seguros", "Mutua", "Correduría"],
                ]
            ), 35
        ),
        (
            Industry(
                name: "Healthcare",
                subIndustries: [
                    Sub(name: "Hospitals & Clinics", sic: "8062", naics: "622110"),
                    Sub(name: "Medical Practices", sic: "8011", naics: "621111"),
                    Sub(name: "Home Health Care", sic: "8082", naics: "621610"),
                ],
                revenuePerEmployee: 130_000,
                englishNouns: ["Health", "Medical", "Care", "Clinics", "Healthcare", "Wellness"],
                localNouns: [
                    .german: ["Gesundheit", "Klinik", "Pflege", "Medizin"],
                    .french: ["Santé", "Clinique", "Soins", "Médical"],
                    .dutch: ["Zorg", "Kliniek", "Gezondheid"],
                    .italian: ["Salute", "Clinica", "Sanità"],
                    .spanish: ["Salud", "Clínica", "Sanitaria"],
                ]
            ), 55
        ),
        (
            Industry(
                name: "Pharmaceuticals & Biotech",
                subIndustries: [
                    Sub(name: "Pharmaceuticals", sic: "2834", naics: "325412"),
                    Sub(name: "Biotechnology", sic: "2836", naics: "325414"),
                    Sub(name: "Medical Devices", sic: "3841", naics: "339112"),
                ],
                revenuePerEmployee: 470_000,
                englishNouns: ["Pharma", "Therapeutics", "Biosciences", "Biotech", "Medical Devices", "Diagnostics"],
                localNouns: [
                    .german: ["Pharma", "Medizintechnik", "Biotechnologie", "Arzneimittel"],
                    .french: ["Pharma", "Biotechnologies", "Laboratoires", "Diagnostics"],
                    .dutch: ["Farma", "Biotechnologie", "Medische Techniek"],
                    .italian: ["Farmaceutica", "Biotecnologie", "Laboratori"],
                    .spanish: ["Farmacéutica", "Biotecnología", "Laboratorios"],
                ]
            ), 35
        ),
        (
            Industry(
                name: "Manufacturing",
                subIndustries: [
                    Sub(name: "Industrial Machinery", sic: "3559", naics: "333249"),
                    Sub(name: "Metal Fabrication", sic: "3444", naics: "332322"),
                    Sub(name: "Automotive Parts", sic: "3714", naics: "336390"),
                ],
                revenuePerEmployee: 270_000,
                englishNouns: ["Manufacturing", "Industries", "Machinery", "Fabrication", "Precision", "Engineering"],
                localNouns: [
                    .german: ["Maschinenbau", "Anlagenbau", "Metallbau", "Fahrzeugteile", "Präzisionstechnik"],
                    .french: ["Industries", "Mécanique", "Usinage", "Ingénierie"],
                    .dutch: ["Machinebouw", "Metaal", "Techniek", "Industrie"],
                    .italian: ["Meccanica", "Industrie", "Carpenteria", "Impianti"],
                    .spanish: ["Industrias", "Mecanizados", "Maquinaria", "Ingeniería"],
                ]
            ), 90
        ),
        (
            Industry(
                name: "Chemicals",
                subIndustries: [
                    Sub(name: "Specialty Chemicals", sic: "2899", naics: "325998"),
                    Sub(name: "Plastics", sic: "2821", naics: "325211"),
                    Sub(name: "Paints & Coatings", sic: "2851", naics: "325510"),
                ],
                revenuePerEmployee: 420_000,
                englishNouns: ["Chemicals", "Polymers", "Coatings", "Materials", "Plastics"],
                localNouns: [
                    .german: ["Chemie", "Kunststoffe", "Lacke", "Werkstoffe"],
                    .french: ["Chimie", "Polymères", "Revêtements"],
                    .dutch: ["Chemie", "Kunststoffen", "Coatings"],
                    .italian: ["Chimica", "Polimeri", "Vernici"],
                    .spanish: ["Química", "Polímeros", "Pinturas"],
                ]
            ), 25
        ),
        (
            Industry(
                name: "Construction",
                subIndustries: [
                    Sub(name: "Commercial Construction", sic: "1542", naics: "236220"),
                    Sub(name: "Residential Construction", sic: "1521", naics: "236115"),
                    Sub(name: "Civil Engineering", sic: "1611", naics: "237310"),
                ],
                revenuePerEmployee: 230_000,
                englishNouns: ["Construction", "Builders", "Contracting", "Infrastructure", "Building Group"],
                localNouns: [
                    .german: ["Bau", "Hochbau", "Tiefbau", "Bauunternehmung"],
                    .french: ["Construction", "Bâtiment", "Travaux Publics"],
                    .dutch: ["Bouw", "Aannemers", "Infra"],
                    .italian: ["Costruzioni", "Edilizia", "Infrastrutture"],
                    .spanish: ["Construcciones", "Obras", "Infraestructuras"],
                ]
            ), 55
        ),
        (
            Industry(
                name: "Real Estate",
                subIndustries: [
                    Sub(name: "Commercial Real Estate", sic: "6512", naics: "531120"),
                    Sub(name: "Property Management", sic: "6531", naics: "531311"),
                    Sub(name: "Real Estate Development", sic: "6552", naics: "237210"),
                ],
                revenuePerEmployee: 310_000,
                englishNouns: ["Properties", "Realty", "Real Estate", "Estates", "Land Holdings"],
                localNouns: [
                    .german: ["Immobilien", "Grundbesitz", "Wohnbau"],
                    .french: ["Immobilier", "Foncière", "Patrimoine"],
                    .dutch: ["Vastgoed", "Makelaardij", "Projectontwikkeling"],
                    .italian: ["Immobiliare", "Patrimonio", "Sviluppo Immobiliare"],
                    .spanish: ["Inmobiliaria", "Promociones", "Patrimonio"],
                ]
            ), 40
        ),
        (
            Industry(
                name: "Retail",
                subIndustries: [
                    Sub(name: "Apparel Retail", sic: "5651", naics: "448140"),
                    Sub(name: "Grocery Retail", sic: "5411", naics: "445110"),
                    Sub(name: "E-commerce", sic: "5961", naics: "454110"),
                ],
                revenuePerEmployee: 190_000,
                englishNouns: ["Stores", "Outfitters", "Market", "Retail", "Apparel", "Shop"],
                localNouns: [
                    .german: ["Handel", "Warenhaus", "Mode", "Markt"],
                    .french: ["Distribution", "Magasins", "Boutiques", "Mode"],
                    .dutch: ["Winkels", "Mode", "Markt"],
                    .italian: ["Commercio", "Moda", "Negozi"],
                    .spanish: ["Comercial", "Moda", "Almacenes"],
                ]
            ), 55
        ),
        (
            Industry(
                name: "Wholesale & Distribution",
                subIndustries: [
                    Sub(name: "Industrial Supplies", sic: "5085", naics: "423840"),
                    Sub(name: "Food Distribution", sic: "5141", naics: "424410"),
                    Sub(name: "Electronics Distribution", sic: "5065", naics: "423690"),
                ],
                revenuePerEmployee: 620_000,
                englishNouns: ["Supply", "Distribution", "Wholesale", "Trading", "Distributors"],
                localNouns: [
                    .german: ["Großhandel", "Vertrieb", "Handelsgesellschaft"],
                    .french: ["Négoce", "Distribution", "Approvisionnement"],
                    .dutch: ["Groothandel", "Distributie", "Handel"],
                    .italian: ["Distribuzione", "Ingrosso", "Forniture"],
                    .spanish: ["Distribuciones", "Suministros", "Mayorista"],
                ]
            ), 45
        ),
        (
            Industry(
                name: "Transportation & Logistics",
                subIndustries: [
                    Sub(name: "Freight & Trucking", sic: "4213", naics: "484121"),
                    Sub(name: "Logistics & Supply Chain", sic: "4731", naics: "488510"),
                    Sub(name: "Warehousing", sic: "4225", naics: "493110"),
                ],
                revenuePerEmployee: 210_000,
                englishNouns: ["Logistics", "Freight", "Transport", "Shipping", "Carriers", "Express"],
                localNouns: [
                    .german: ["Logistik", "Spedition", "Transporte", "Lagerhaus"],
                    .french: ["Logistique", "Transports", "Fret", "Messagerie"],
                    .dutch: ["Logistiek", "Transport", "Expeditie"],
                    .italian: ["Logistica", "Trasporti", "Spedizioni"],
                    .spanish: ["Logística", "Transportes", "Envíos"],
                ]
            ), 55
        ),
        (
            Industry(
                name: "Energy & Utilities",
                subIndustries: [
                    Sub(name: "Electric Utilities", sic: "4911", naics: "221122"),
                    Sub(name: "Oil & Gas", sic: "1311", naics: "211120"),
                    Sub(name: "Renewable Energy", sic: "4911", naics: "221114"),
                ],
                revenuePerEmployee: 820_000,
                englishNouns: ["Energy", "Power", "Utilities", "Solar", "Renewables", "Petroleum"],
                localNouns: [
                    .german: ["Energie", "Stadtwerke", "Solartechnik", "Windkraft"],
                    .french: ["Énergie", "Énergies Renouvelables", "Solaire"],
                    .dutch: ["Energie", "Zonne-energie", "Windenergie"],
                    .italian: ["Energia", "Energie Rinnovabili", "Solare"],
                    .spanish: ["Energía", "Renovables", "Solar"],
                ]
            ), 30
        ),
        (
            Industry(
                name: "Food & Beverage",
                subIndustries: [
                    Sub(name: "Food Processing", sic: "2099", naics: "311999"),
                    Sub(name: "Beverages", sic: "2086", naics: "312111"),
                    Sub(name: "Bakeries", sic: "2051", naics: "311812"),
                ],
                revenuePerEmployee: 320_000,
                englishNouns: ["Foods", "Beverages", "Brewing", "Bakery", "Provisions", "Kitchens"],
                localNouns: [
                    .german: ["Lebensmittel", "Getränke", "Brauerei", "Backwaren"],
                    .french: ["Alimentaire", "Boissons", "Boulangerie", "Brasserie"],
                    .dutch: ["Voeding", "Dranken", "Bakkerij", "Brouwerij"],
                    .italian: ["Alimentari", "Bevande", "Panificio", "Birrificio"],
                    .spanish: ["Alimentación", "Bebidas", "Panificadora"],
                ]
            ), 45
        ),
        (
            Industry(
                name: "Professional Services",
                subIndustries: [
                    Sub(name: "Management Consulting", sic: "8742", naics: "541611"),
                    Sub(name: "Accounting", sic: "8721", naics: "541211"),
                    Sub(name: "Legal Services", sic: "8111", naics: "541110"),
                ],
                revenuePerEmployee: 190_000,
                englishNouns: ["Consulting", "Advisors", "Associates", "Partners", "Accountants", "Advisory"],
                localNouns: [
                    .german: ["Beratung", "Unternehmensberatung", "Treuhand", "Steuerberatung"],
                    .french: ["Conseil", "Associés", "Expertise Comptable", "Avocats"],
                    .dutch: ["Advies", "Adviseurs", "Accountants"],
                    .italian: ["Consulenza", "Associati", "Revisione"],
                    .spanish: ["Consultores", "Asesores", "Abogados"],
                ]
            ), 70
        ),
        (
            Industry(
                name: "Marketing & Advertising",
                subIndustries: [
                    Sub(name: "Advertising Agencies", sic: "7311", naics: "541810"),
                    Sub(name: "Market Research", sic: "8732", naics: "541910"),
                    Sub(name: "Public Relations", sic: "8743", naics: "541820"),
                ],
                revenuePerEmployee: 160_000,
                englishNouns: ["Media", "Creative", "Marketing", "Agency", "Communications Group", "Insights"],
                localNouns: [
                    .german: ["Werbeagentur", "Kommunikation", "Marktforschung", "Medien"],
                    .french: ["Communication", "Publicité", "Médias", "Études"],
                    .dutch: ["Reclame", "Communicatie", "Media"],
                    .italian: ["Comunicazione", "Pubblicità", "Media"],
                    .spanish: ["Publicidad", "Comunicación", "Medios"],
                ]
            ), 35
        ),
        (
            Industry(
                name: "Education",
                subIndustries: [
                    Sub(name: "Higher Education", sic: "8221", naics: "611310"),
                    Sub(name: "E-learning", sic: "8299", naics: "611710"),
                    Sub(name: "Corporate Training", sic: "8299", naics: "611430"),
                ],
                revenuePerEmployee: 95_000,
                englishNouns: ["Learning", "Academy", "Education", "Training", "Institute"],
                localNouns: [
                    .german: ["Akademie", "Bildung", "Schulung", "Lernwerk"],
                    .french: ["Formation", "Académie", "Éducation"],
                    .dutch: ["Opleidingen", "Academie", "Onderwijs"],
                    .italian: ["Formazione", "Accademia", "Istruzione"],
                    .spanish: ["Formación", "Academia", "Educación"],
                ]
            ), 25
        ),
        (
            Industry(
                name: "Hospitality & Travel",
                subIndustries: [
                    Sub(name: "Hotels", sic: "7011", naics: "721110"),
                    Sub(name: "Restaurants", sic: "5812", naics: "722511"),
                    Sub(name: "Travel Agencies", sic: "4724", naics: "561510"),
                ],
                revenuePerEmployee: 75_000,
                englishNouns: ["Hotels", "Hospitality", "Travel", "Resorts", "Restaurants", "Tours"],
                localNouns: [
                    .german: ["Hotels", "Gastronomie", "Reisen", "Touristik"],
                    .french: ["Hôtels", "Restauration", "Voyages", "Tourisme"],
                    .dutch: ["Hotels", "Horeca", "Reizen"],
                    .italian: ["Hotel", "Ristorazione", "Viaggi", "Turismo"],
                    .spanish: ["Hoteles", "Restauración", "Viajes", "Turismo"],
                ]
            ), 35
        ),
    ]
}
