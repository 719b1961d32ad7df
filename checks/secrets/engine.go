package secrets

import (
	"context"
	"math"
	"strings"

	"github.com/zricethezav/gitleaks/v8/config"
)

// match is one secret found in a text, before it becomes a Finding.
type match struct {
	rule      *rule
	secret    string
	startLine int // 0-based, in the scanned text
	endLine   int
	startCol  int // 1-based byte columns; 0 when unknown
	endCol    int
	decoded   bool // found inside base64/hex/percent-encoded data
	binary    bool // found in the text runs of binary data: no line or column
}

// fragment says where a text comes from, for path and commit allowlists.
// strict drops gitleaks' global path allowlist: in a change under review
// the author picks the paths, and a key under vendor/ or in a lockfile is
// as leaked as anywhere else.
type fragment struct {
	path   string
	commit string
	strict bool
}

// scan finds the secrets in t. It honours gitleaks' semantics: keywords
// gate rules, the secret group and entropy threshold select the secret,
// global and rule allowlists (paths, commits, regexes with their target,
// stop words) drop it, and a generic finding yields to a specific one on
// the same line.
func (rs *ruleSet) scan(ctx context.Context, t *text, fr fragment) []match {
	if !fr.strict && pathOrCommitAllowed(fr, rs.global) {
		return nil
	}
	// Keyword hits, per rule, as end offsets in ascending order. A rule
	// with an anchor keeps only the hits where a match can be anchored.
	hits := make(map[int32][]int)
	var present map[int32]bool // required literals seen
	rs.keywords.scan(t.s, func(kw int32, end int) {
		if int(kw) >= rs.nKeywords {
			if present == nil {
				present = map[int32]bool{}
			}
			present[kw] = true
			return
		}
		for _, ri := range rs.kwRules[kw] {
			if a := rs.rules[ri].anchor; a != nil && !a.re.MatchString(t.s[end-rs.keywords.lens[kw]:]) {
				continue
			}
			hits[ri] = append(hits[ri], end)
		}
	})

	var out []match
	for ri, r := range rs.rules {
		if ctx.Err() != nil {
			return out
		}
		ends, ok := hits[int32(ri)]
		if !ok && len(r.cfg.Keywords) > 0 {
			continue
		}
		if !ruleAppliesTo(r, fr) || !allPresent(rs.required[ri], present) {
			continue
		}
		if r.cfg.Regex == nil {
			continue // path-only rules are handled by the caller
		}
		if len(r.cfg.Keywords) == 0 {
			out = rs.evalRule(r, t, 0, len(t.s), fr, out)
			continue
		}
		if r.anchor != nil && r.anchor.prefixBytes != unbounded {
			out = rs.evalAnchored(r, t, ends, fr, out)
			continue
		}
		for _, w := range windows(r, t, ends) {
			out = rs.evalRule(r, t, w[0], w[1], fr, out)
		}
	}
	out = append(out, rs.decodedMatches(ctx, t, fr)...)
	return dropShadowedGeneric(out)
}

func allPresent(ids []int32, present map[int32]bool) bool {
	for _, id := range ids {
		if !present[id] {
			return false
		}
	}
	return true
}

// windows returns the merged byte ranges, in whole lines, that can hold a
// match of r containing one of the keyword hits ending at ends.
// (A match holding a hit that ends at e lies within e±maxBytes.)
func windows(r *rule, t *text, ends []int) [][2]int {
	var out [][2]int
	for _, end := range ends {
		var lo, hi int
		switch {
		case r.span.maxBytes != unbounded:
			lo = t.lineStart(t.line(max(0, end-r.span.maxBytes)))
			hi = t.lineEnd(t.line(min(len(t.s), end+r.span.maxBytes)))
		case r.span.maxNewlines != unbounded:
			l := t.line(end - 1) // keywords hold no line break
			lo = t.lineStart(l - r.span.maxNewlines)
			hi = t.lineEnd(l + r.span.maxNewlines)
		default:
			return [][2]int{{0, len(t.s)}}
		}
		if n := len(out); n > 0 && lo <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// ruleAppliesTo reports whether r may fire in this fragment at all: its
// path pattern matches and no allowlist exempts the path or commit.
func ruleAppliesTo(r *rule, fr fragment) bool {
	if pathOrCommitAllowed(fr, r.cfg.Allowlists) {
		return false
	}
	if r.cfg.Path != nil && !r.cfg.Path.MatchString(fr.path) {
		return false
	}
	return true
}

// evalAnchored finds r's matches from its anchored hits (ends ascending)
// with the same result as FindAll over the whole text: the leftmost match
// at or after a hit's earliest possible start is the one FindAll reaches
// next, because a match can only start within prefixBytes before the hit
// that holds its keyword group, and one exists there when the anchor matched.
func (rs *ruleSet) evalAnchored(r *rule, t *text, ends []int, fr fragment, out []match) []match {
	kwMin, kwMax := len(r.cfg.Keywords[0]), 0
	for _, k := range r.cfg.Keywords {
		kwMin, kwMax = min(kwMin, len(k)), max(kwMax, len(k))
	}
	next := 0 // FindAll's position: the end of the previous match
	for _, end := range ends {
		hitStart := end - kwMin // latest possible start of this hit's keyword
		if hitStart < next {
			continue // inside the previous match
		}
		from := max(next, end-kwMax-r.anchor.prefixBytes, 0)
		m := r.cfg.Regex.FindStringIndex(t.s[from:])
		if m == nil {
			continue
		}
		start, stop := from+m[0], from+m[1]
		next = stop
		if stop == start {
			next++
		}
		out = rs.evalMatch(r, t, start, stop, fr, out)
	}
	return out
}

// evalRule runs r's regex over t.s[lo:hi] and keeps what survives gitleaks'
// secret selection, entropy and allowlist steps.
func (rs *ruleSet) evalRule(r *rule, t *text, lo, hi int, fr fragment, out []match) []match {
	for _, m := range r.cfg.Regex.FindAllStringIndex(t.s[lo:hi], -1) {
		out = rs.evalMatch(r, t, lo+m[0], lo+m[1], fr, out)
	}
	return out
}

// evalMatch applies gitleaks' per-match steps to the match t.s[start:stop].
func (rs *ruleSet) evalMatch(r *rule, t *text, start, stop int, fr fragment, out []match) []match {
	re := r.cfg.Regex
	{
		matched := strings.Trim(t.s[start:stop], "\n")
		end := start + len(matched)
		startLine := t.line(start)
		endLine := startLine
		if end > start {
			endLine = t.line(end - 1)
		}
		// gitleaks' "line" is the matched lines, led by the preceding '\n'.
		lineFrom := 0
		if startLine > 0 {
			lineFrom = t.nl[startLine-1]
		}
		lineTo := max(t.lineEnd(endLine), end)
		line := t.s[lineFrom:lineTo]
		// A gitleaks:allow comment is a suppression marker: the runner
		// decides whether it counts (see checks.Suppressed), not the engine.
		secret := matched
		if groups := re.FindStringSubmatch(matched); len(groups) >= 2 {
			if r.cfg.SecretGroup > 0 {
				if len(groups) <= r.cfg.SecretGroup {
					return out
				}
				secret = groups[r.cfg.SecretGroup]
			} else {
				for _, g := range groups[1:] {
					if g != "" {
						secret = g
						break
					}
				}
			}
		}
		if r.cfg.Entropy != 0 && shannonEntropy(secret) <= r.cfg.Entropy {
			return out
		}
		if findingAllowed(secret, matched, line, fr, rs.global) || findingAllowed(secret, matched, line, fr, r.cfg.Allowlists) {
			return out
		}
		out = append(out, match{
			rule: r, secret: secret,
			startLine: startLine, endLine: endLine,
			startCol: start - t.lineStart(startLine) + 1,
			endCol:   end - t.lineStart(endLine),
		})
	}
	return out
}

// pathOrCommitAllowed mirrors gitleaks: an OR allowlist exempts a path or
// commit outright; an AND one only when it has no content conditions.
func pathOrCommitAllowed(fr fragment, lists []*config.Allowlist) bool {
	if fr.path == "" && fr.commit == "" {
		return false
	}
	for _, a := range lists {
		commitOK, _ := a.CommitAllowed(fr.commit)
		pathOK := a.PathAllowed(fr.path)
		if a.MatchCondition != config.AllowlistMatchAnd {
			if commitOK || pathOK {
				return true
			}
			continue
		}
		if len(a.Regexes) > 0 || len(a.StopWords) > 0 {
			continue
		}
		all := true
		if len(a.Commits) > 0 {
			all = all && commitOK
		}
		if len(a.Paths) > 0 {
			all = all && pathOK
		}
		if all {
			return true
		}
	}
	return false
}

// findingAllowed mirrors gitleaks' content allowlists: regexes tested on
// the secret, the whole match or the line, and stop words in the secret.
func findingAllowed(secret, matched, line string, fr fragment, lists []*config.Allowlist) bool {
	for _, a := range lists {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = matched
		case "line":
			target = line
		}
		regexOK := a.RegexAllowed(target)
		stopOK, _ := a.ContainsStopWord(secret)
		if a.MatchCondition != config.AllowlistMatchAnd {
			if regexOK || stopOK {
				return true
			}
			continue
		}
		all := true
		if len(a.Commits) > 0 {
			ok, _ := a.CommitAllowed(fr.commit)
			all = all && ok
		}
		if len(a.Paths) > 0 {
			all = all && a.PathAllowed(fr.path)
		}
		if len(a.Regexes) > 0 {
			all = all && regexOK
		}
		if len(a.StopWords) > 0 {
			all = all && stopOK
		}
		if all {
			return true
		}
	}
	return false
}

// shannonEntropy is bits per character of s, as gitleaks computes it.
func shannonEntropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := make(map[rune]int, 32)
	for _, r := range s {
		counts[r]++
	}
	inv := 1 / float64(len(s))
	e := 0.0
	for _, c := range counts {
		f := float64(c) * inv
		e -= f * math.Log2(f)
	}
	return e
}

// dropShadowedGeneric drops a generic-rule match when a specific rule found
// a secret containing it on the same line (gitleaks' rule); against
// warden's own rules containment either way counts, since they extract a
// narrower secret (the password of a URL) than the generic rule.
//
// A warden rule's match likewise yields to an overlapping gitleaks one on
// the same line: warden's rules only fill gitleaks' gaps.
func dropShadowedGeneric(ms []match) []match {
	out := ms[:0]
	for i, m := range ms {
		if isGeneric(m.rule) && shadowed(m, ms, i) {
			continue
		}
		if m.rule.warden && coveredByGitleaks(m, ms) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func coveredByGitleaks(m match, all []match) bool {
	for _, o := range all {
		if o.rule.warden || isGeneric(o.rule) || o.startLine != m.startLine {
			continue
		}
		if strings.Contains(o.secret, m.secret) || strings.Contains(m.secret, o.secret) {
			return true
		}
	}
	return false
}

func isGeneric(r *rule) bool { return strings.Contains(strings.ToLower(r.cfg.RuleID), "generic") }

func shadowed(m match, all []match, self int) bool {
	for j, o := range all {
		if j == self || o.startLine != m.startLine || isGeneric(o.rule) || o.rule == m.rule {
			continue
		}
		if strings.Contains(o.secret, m.secret) || (o.rule.warden && strings.Contains(m.secret, o.secret)) {
			return true
		}
	}
	return false
}
