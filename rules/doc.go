// Package rules holds the diagnosis catalogue: the Rule type, the explicit
// All list and one file per rule. Rules never parse bytes; they observe the
// transactions, registrations and auth exchanges that decode correlates and
// report Findings with the evidence they rest on.
package rules
