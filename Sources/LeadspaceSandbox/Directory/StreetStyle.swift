/// How street addresses are written in a country.
enum StreetStyle: Sendable {
    case american
    case british
    case german
    case swiss
    case french
    case dutch
    case swedish
    case finnish
    case norwegian
    case danish
    case italian
    case spanish
    case japanese
}
