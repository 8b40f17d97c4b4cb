// Package config reads the parts of a Cisco CUBE / IOS-XE `show
// running-config` that decide how the router registers and answers digest
// challenges: the `sip-ua` section, `voice class tenant N` sections,
// `dial-peer voice N voip` sections, `voice service voip` (for `localhost`)
// and interface addresses (to tell the router's own messages in a trace).
//
// Input is treated as pasted text: CLI prompts ("CUBE#", "CUBE(config-sip-ua)#"),
// `--More--` pagers with their backspaces, `!` separators, lost or changed
// indentation and CRLF line ends are all tolerated. Every command kept
// records its 1-based line number so that findings can cite it.
//
// Passwords are never kept: a `password [0|6|7] P` argument is reduced to
// "set, type N", and every stored line text shows `<hidden>` in its place
// (type 7 is reversible, type 0 is clear text).
//
// The selection of credentials for a challenge follows Cisco's "Configuring
// Multiple Registrars on SIP Trunks" guide (Determination of Authentication
// Details): the challenge's realm is matched against the dial-peer's
// `authentication` lines, then sip-ua `credentials`, then sip-ua
// `authentication`; with no match the request is terminated (the 401/407 is
// never answered). An entry without a realm answers any realm. See select.go.
package config
