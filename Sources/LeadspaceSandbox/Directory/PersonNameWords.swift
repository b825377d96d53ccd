/// First and family names per naming style.
enum PersonNameWords {
    static func firstNames(for style: NameStyle) -> [String] {
        switch style {
        case .english: return Self.englishFirst
        case .german: return Self.germanFirst
        case .french: return Self.frenchFirst
        case .dutch: return Self.dutchFirst
        case .nordic: return Self.nordicFirst
        case .italian: return Self.italianFirst
        case .spanish: return Self.spanishFirst
        case .japanese: return Self.japaneseFirst
        }
    }

    static func lastNames(for style: NameStyle) -> [String] {
        switch style {
        case .english: return Self.englishLast
        case .german: return Self.germanLast
        case .french: return Self.frenchLast
        case .dutch: return Self.dutchLast
        case .nordic: return Self.nordicLast
        case .italian: return Self.italianLast
        case .spanish: return Self.spanishLast
        case .japanese: return Self.japaneseLast
        }
    }

    private static let englishFirst = [
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
        "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
        "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
        "Ronald", "Rebecca", "Jason", "Laura", "Ryan", "Sharon", "Jacob", "Cynthia", "Gary", "Kathleen", "Nicholas",
        "Amy", "Eric", "Angela", "Jonathan", "Shirley", "Stephen", "Anna", "Larry", "Brenda", "Justin", "Pamela",
        "Scott", "Emma", "Brandon", "Nicole", "Benjamin", "Helen", "Samuel", "Samantha", "Gregory", "Katherine",
        "Oliver", "Charlotte", "Harry", "Sophie", "Liam", "Olivia", "Noah", "Grace", "Ethan", "Chloe", "Priya",
        "Raj", "Wei", "Mei", "Carlos", "Maria", "Aisha", "Omar",
    ]

    private static let englishLast = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
        "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
        "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell",
        "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes",
        "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell", "Sullivan",
        "Fisher", "Henderson", "Coleman", "Simmons", "Patterson", "Jordan", "Reynolds", "Hamilton", "Graham",
        "Wallace", "Fletcher", "Hawkins", "Sutton", "Holloway", "Whitaker", "Pemberton", "Ashworth", "Lancaster",
        "Patel", "Chen", "Nguyen", "Kim", "O'Brien", "O'Connor", "McCarthy", "MacLeod",
    ]

    private static let germanFirst = [
        "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Frank", "Jürgen", "Klaus", "Wolfgang",
        "Martin", "Peter", "Sebastian", "Tobias", "Florian", "Jan", "Lukas", "Felix", "Maximilian", "Matthias",
        "Sabine", "Claudia", "Andrea", "Susanne", "Petra", "Birgit", "Katrin", "Julia", "Anna", "Laura", "Lena",
        "Sarah", "Lisa", "Stefanie", "Nicole", "Monika", "Ursula", "Karin", "Heike", "Anja", "Jörg", "Uwe", "Dieter",
        "Björn", "Sören", "Günter", "Hannah", "Marie", "Sophie", "Johanna",
    ]

    private static let germanLast = [
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
        "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
        "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
        "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
        "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
        "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
        "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas",
        "Schreiber", "Graf", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann",
        "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
    ]

    private static let frenchFirst = [
        "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Laurent", "Julien", "Sébastien",
        "François", "Olivier", "Thierry", "Stéphane", "Antoine", "Mathieu", "Guillaume", "Hugo", "Lucas", "Louis",
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Céline", "Julie", "Camille", "Chloé",
        "Aurélie", "Émilie", "Hélène", "Valérie", "Sandrine", "Claire", "Léa", "Manon", "Inès", "Élodie",
    ]

    private static let frenchLast = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
        "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
        "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
        "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
        "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour",
        "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
        "Rivière", "Giraud", "Picard",
    ]

    private static let dutchFirst = [
        "Jan", "Pieter", "Kees", "Hendrik", "Willem", "Johan", "Dirk", "Bram", "Daan", "Sander", "Joost", "Ruben",
        "Maarten", "Thijs", "Jeroen", "Bas", "Sem", "Luuk", "Femke", "Anouk", "Sanne", "Lotte", "Eva", "Iris",
        "Marieke", "Ingrid", "Annelies", "Esther", "Fleur", "Noor", "Lieke", "Mila", "Joris", "Wouter", "Koen",
        "Niels", "Stijn", "Tom", "Elke", "Ilse",
    ]

    private static let dutchLast = [
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
        "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs",
        "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
        "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas",
        "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "Claes",
        "Goossens", "Wouters", "Maes", "Mertens", "Willaert", "Desmet",
    ]

    private static let nordicFirst = [
        "Erik", "Lars", "Anders", "Johan", "Karl", "Nils", "Per", "Mikael", "Magnus", "Henrik", "Jonas", "Oskar",
        "Mikko", "Juha", "Jari", "Timo", "Matti", "Antti", "Ole", "Bjørn", "Kristian", "Rasmus", "Søren", "Jens",
        "Anna", "Eva", "Maria", "Karin", "Kristina", "Elin", "Ingrid", "Sofia", "Emma", "Astrid", "Liisa", "Aino",
        "Sanna", "Tiina", "Hanne", "Kirsten", "Mette", "Camilla", "Sigrid", "Maja",
    ]

    private static let nordicLast = [
        "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
        "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Lindström", "Bergström", "Sandberg",
        "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
        "Järvinen", "Lehtonen", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
        "Kristiansen", "Jensen", "Nielsen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Berg", "Haugen",
        "Dahl", "Holm", "Lund", "Bakke", "Strand", "Solberg",
    ]

    private static let italianFirst = [
        "Marco", "Giuseppe", "Giovanni", "Antonio", "Luca", "Andrea", "Francesco", "Alessandro", "Matteo", "Stefano",
        "Paolo", "Roberto", "Davide", "Simone", "Federico", "Lorenzo", "Riccardo", "Nicola", "Fabio", "Massimo",
        "Giulia", "Francesca", "Chiara", "Sara", "Valentina", "Elena", "Alessandra", "Martina", "Federica", "Laura",
        "Silvia", "Paola", "Roberta", "Elisa", "Giorgia", "Anna", "Marta", "Beatrice", "Ilaria", "Serena",
    ]

    private static let italianLast = [
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
        "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
        "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo",
        "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
        "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
    ]

    private static let spanishFirst = [
        "Antonio", "José", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos", "Jesús",
        "Alejandro", "Miguel", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Alberto", "Luis", "Álvaro",
        "María", "Carmen", "Ana", "Isabel", "Laura", "Cristina", "Marta", "Lucía", "Elena", "Paula", "Sara",
        "Raquel", "Pilar", "Beatriz", "Nuria", "Silvia", "Rocío", "Irene", "Patricia", "Andrea",
    ]

    private static let spanishLast = [
        "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
        "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez",
        "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina",
        "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias",
        "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez",
        "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera",
    ]

    private static let japaneseFirst = [
        "Hiroshi", "Takashi", "Kenji", "Satoshi", "Yuki", "Daisuke", "Kazuki", "Takumi", "Shota", "Haruto",
        "Ryota", "Kenta", "Naoki", "Akira", "Makoto", "Yusuke", "Tatsuya", "Sho", "Koji", "Masato", "Yuko",
        "Keiko", "Tomoko", "Akiko", "Naoko", "Yumi", "Ayumi", "Mai", "Haruka", "Sakura", "Yui", "Aoi", "Hina",
        "Misaki", "Emi", "Megumi", "Rina", "Kana", "Nanami", "Saki",
    ]

    private static let japaneseLast = [
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
        "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu",
        "Yamazaki", "Mori", "Abe", "Ikeda", "Hashimoto", "Yamashita", "Ishikawa", "Nakajima", "Maeda", "Fujita",
        "Ogawa", "Goto", "Okada", "Hasegawa", "Murakami", "Kondo", "Ishii", "Saito", "Sakamoto", "Endo", "Aoki",
        "Fujii", "Nishimura", "Fukuda", "Ota", "Miura", "Fujiwara", "Okamoto", "Matsuda", "Nakagawa", "Nakano",
    ]
}
