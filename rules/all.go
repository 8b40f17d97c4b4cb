package rules

// All is every rule, sorted by ID. A rule is added here explicitly so that
// the catalogue is one list a reader can check.
var All = []*Rule{
	RealmMismatch,  // AUTH001
	AuthRetryLoop,  // AUTH004
	LockoutBurst,   // AUTH005
	MissingRefresh, // REG001
}
