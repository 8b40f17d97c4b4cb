package config

import "strings"

// Hidden stands where a configured password was.
const Hidden = "<hidden>"

// Placeholder stands for the password in commands suggested as a fix: the
// engineer types the real one (IOS stores it encrypted again).
const Placeholder = "<password>"

// isPasswordType reports whether s is an IOS password encryption type:
// 0 clear text, 6 AES (`password encryption aes`), 7 Cisco type 7
// (reversible: as good as clear text in a ticket). 5, 8, 9 are hashes of
// enable/user secrets; hidden all the same.
func isPasswordType(s string) bool {
	switch s {
	case "0", "5", "6", "7", "8", "9":
		return true
	}
	return false
}

// redactFields joins a command's words with every password or secret
// argument replaced by Hidden. It is the only way a command's text is
// stored, so a password cannot reach any output.
func redactFields(f []string) string {
	out := make([]string, len(f))
	copy(out, f)
	for i := 0; i < len(out); i++ {
		w := strings.ToLower(out[i])
		if w != "password" && w != "secret" && !strings.HasSuffix(w, "-password") && !strings.HasSuffix(w, "-secret") {
			continue
		}
		j := i + 1
		if j+1 < len(out) && isPasswordType(out[j]) {
			j++
		}
		if j < len(out) {
			out[j] = Hidden
		}
		i = j
	}
	return strings.Join(out, " ")
}
