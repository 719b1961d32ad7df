package license

import (
	"strings"
)

// Verdict is the outcome of checking one package's license.
type Verdict int

const (
	Allowed    Verdict = iota
	Denied             // every choice includes a denied license
	NotAllowed         // an allow list is set and no choice is fully on it
	Unknown            // no license recorded, or not a valid expression
)

// Policy is a repository's license policy. Entries are SPDX ids (matched
// case-insensitively, and also without a WITH exception) or whole
// expressions ("MIT OR Apache-2.0"), which match that expression.
type Policy struct {
	Deny  []string
	Allow []string
}

// Empty reports whether the policy constrains nothing.
func (p Policy) Empty() bool { return len(p.Deny) == 0 && len(p.Allow) == 0 }

// Evaluate decides a package's license expression. offending lists the
// licenses that caused a Denied or NotAllowed verdict.
func (p Policy) Evaluate(expr string) (v Verdict, offending []string) {
	if isUnknown(expr) {
		return Unknown, nil
	}
	alts, err := Parse(expr)
	if err != nil {
		return Unknown, nil
	}
	canon := alts.String()
	deny, denyExpr := split(p.Deny)
	allow, allowExpr := split(p.Allow)
	if denyExpr[canon] {
		return Denied, []string{expr}
	}
	if allowExpr[canon] && !anyAlternative(alts, func(id string) bool { return deny[id] }) {
		return Allowed, nil
	}
	offendingSet := map[string]bool{}
	allDenied := true
	for _, alt := range alts {
		denied, unlisted := false, false
		for _, id := range alt {
			key := idKey(id)
			switch {
			case deny[key] || deny[strings.ToLower(id)]:
				denied = true
				offendingSet[id] = true
			case len(allow) > 0 && !allow[key] && !allow[strings.ToLower(id)]:
				unlisted = true
			}
		}
		if !denied && !unlisted {
			return Allowed, nil
		}
		if !denied {
			allDenied = false
			for _, id := range alt {
				if !allow[idKey(id)] && !allow[strings.ToLower(id)] {
					offendingSet[id] = true
				}
			}
		}
	}
	for id := range offendingSet {
		offending = append(offending, id)
	}
	sortStrings(offending)
	if allDenied {
		return Denied, offending
	}
	return NotAllowed, offending
}

func anyAlternative(alts Alternatives, pred func(string) bool) bool {
	for _, alt := range alts {
		for _, id := range alt {
			if pred(idKey(id)) {
				return true
			}
		}
	}
	return false
}

// idKey is the license id without its exception, lower-cased.
func idKey(id string) string {
	if i := strings.Index(id, " WITH "); i >= 0 {
		id = id[:i]
	}
	return strings.ToLower(strings.TrimSpace(id))
}

// split separates single ids from whole expressions in a policy list.
func split(entries []string) (ids, exprs map[string]bool) {
	ids, exprs = map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		alts, err := Parse(e)
		if err != nil {
			continue
		}
		if len(alts) == 1 && len(alts[0]) == 1 {
			ids[strings.ToLower(alts[0][0])] = true
			continue
		}
		exprs[alts.String()] = true
	}
	return ids, exprs
}

// isUnknown recognises the ways registries say "no license information".
func isUnknown(expr string) bool {
	e := strings.ToUpper(strings.TrimSpace(expr))
	return e == "" || e == "NOASSERTION" || e == "UNKNOWN" || e == "NONE" || strings.HasPrefix(e, "SEE LICENSE IN")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
