package main

import "github.com/sipdiag/sipdiag/rules"

func allRuleSlugs() []string {
	var out []string
	for _, r := range rules.All {
		out = append(out, r.Name)
	}
	return out
}
