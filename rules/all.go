package rules

// All is every rule, sorted by ID. A rule is added here explicitly so that
// the catalogue is one list a reader can check.
var All = []*Rule{
	RealmMismatch,        // AUTH001
	ChallengeUnanswered,  // AUTH002
	CredentialsRejected,  // AUTH003
	AuthRetryLoop,        // AUTH004
	LockoutBurst,         // AUTH005
	CaptureIncomplete,    // CAP001
	CallRejected,         // INV001
	MissingRefresh,       // REG001
	ExpiryShortened,      // REG002
	IntervalTooBrief,     // REG003
	RegistrationRejected, // REG004
	NoResponse,           // TXN001
	ServerOverload,       // TXN002
}
