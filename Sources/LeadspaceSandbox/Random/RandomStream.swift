/// The independent random streams derived from one seed; each purpose has its own, so adding draws to one
/// (a new column, a new fault) never shifts what another produces.
enum RandomStream: UInt64 {
    case company = 1
    case persons = 2
    case sample = 3
    case contacts = 4
    case madeUpNames = 5
    case faults = 6
}
