package osv

import (
	"sort"
)

// Affects reports whether the record affects version of the package. A
// withdrawn record affects nothing.
func (v *Vuln) Affects(k PackageKey) bool {
	if v.IsWithdrawn() {
		return false
	}
	for i := range v.Affected {
		a := &v.Affected[i]
		if a.matchesPackage(k) && a.affectsVersion(k.Ecosystem, k.Version) {
			return true
		}
	}
	return false
}

// matchesPackage compares ecosystem and name the way the ecosystem does.
func (a *Affected) matchesPackage(k PackageKey) bool {
	return baseEcosystem(a.Package.Ecosystem) == baseEcosystem(k.Ecosystem) &&
		NormalizeName(k.Ecosystem, a.Package.Name) == NormalizeName(k.Ecosystem, k.Name)
}

// affectsVersion applies OSV's rule: a version is affected when it is listed
// in `versions` or falls inside any SEMVER or ECOSYSTEM range.
func (a *Affected) affectsVersion(ecosystem, ver string) bool {
	for _, listed := range a.Versions {
		if listed == ver {
			return true
		}
	}
	for _, r := range a.Ranges {
		if r.contains(ecosystem, ver) {
			return true
		}
	}
	if len(a.Versions) > 0 {
		// Listed versions may be spelled differently ("1.0" vs "1.0.0").
		o := ordering{ecosystem: baseEcosystem(ecosystem)}
		if target, err := o.parse(ver); err == nil {
			for _, listed := range a.Versions {
				if lv, err := o.parse(listed); err == nil && lv.compare(target) == 0 {
					return true
				}
			}
		}
	}
	return false
}

type parsedEvent struct {
	kind int // order within a tie: introduced before fixed/last_affected
	v    version
}

const (
	evIntroduced = iota
	evLastAffected
	evFixed
	evLimit
)

// contains walks the range's events in version order, as the OSV schema
// specifies: introduced opens the range; fixed closes it at that version;
// last_affected closes it just after; limit bounds every range above.
func (r Range) contains(ecosystem, ver string) bool {
	o, ok := orderingFor(r.Type, ecosystem)
	if !ok {
		return false
	}
	target, err := o.parse(ver)
	if err != nil || target.zero {
		return false
	}
	events, limits := r.parsedEvents(o)
	if len(limits) > 0 {
		below := false
		for _, l := range limits {
			if target.compare(l) < 0 {
				below = true
			}
		}
		if !below {
			return false
		}
	}
	affected := false
	for _, e := range events {
		c := target.compare(e.v)
		switch e.kind {
		case evIntroduced:
			if c >= 0 {
				affected = true
			}
		case evFixed:
			if c >= 0 {
				affected = false
			}
		case evLastAffected:
			if c > 0 {
				affected = false
			}
		}
	}
	return affected
}

// parsedEvents parses and sorts the range's events, dropping any whose
// version does not parse: one bad bound must not widen or hide the range.
func (r Range) parsedEvents(o ordering) (events []parsedEvent, limits []version) {
	for _, e := range r.Events {
		var kind int
		var raw string
		switch {
		case e.Introduced != "":
			kind, raw = evIntroduced, e.Introduced
		case e.Fixed != "":
			kind, raw = evFixed, e.Fixed
		case e.LastAffected != "":
			kind, raw = evLastAffected, e.LastAffected
		case e.Limit != "":
			kind, raw = evLimit, e.Limit
		default:
			continue
		}
		v, err := o.parse(raw)
		if err != nil {
			continue
		}
		if kind == evLimit {
			if raw != "*" {
				limits = append(limits, v)
			}
			continue
		}
		events = append(events, parsedEvent{kind: kind, v: v})
	}
	sort.SliceStable(events, func(i, j int) bool {
		if c := events[i].v.compare(events[j].v); c != 0 {
			return c < 0
		}
		return events[i].kind < events[j].kind
	})
	return events, limits
}

// fixedVersions lists the `fixed` bounds of the record's ranges for the
// package: candidates for a version that clears it.
func (v *Vuln) fixedVersions(k PackageKey) []string {
	var out []string
	for i := range v.Affected {
		a := &v.Affected[i]
		if !a.matchesPackage(k) {
			continue
		}
		for _, r := range a.Ranges {
			if _, ok := orderingFor(r.Type, k.Ecosystem); !ok {
				continue
			}
			for _, e := range r.Events {
				if e.Fixed != "" {
					out = append(out, e.Fixed)
				}
			}
		}
	}
	return out
}

// LowestFix returns the lowest version above current that none of vulns
// affects, chosen among the versions the records name as fixes. ok is false
// when no named fix clears them all (no fix released, or only
// last_affected known).
func LowestFix(k PackageKey, vulns []*Vuln) (fix string, ok bool) {
	o := ordering{ecosystem: baseEcosystem(k.Ecosystem)}
	current, err := o.parse(k.Version)
	if err != nil {
		return "", false
	}
	var candidates []version
	seen := map[string]bool{}
	for _, v := range vulns {
		for _, f := range v.fixedVersions(k) {
			if seen[f] {
				continue
			}
			seen[f] = true
			if fv, err := o.parse(f); err == nil && fv.compare(current) > 0 {
				candidates = append(candidates, fv)
			}
		}
	}
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].compare(candidates[j]) < 0 })
	for _, c := range candidates {
		clears := true
		probe := PackageKey{Ecosystem: k.Ecosystem, Name: k.Name, Version: c.raw}
		for _, v := range vulns {
			if v.Affects(probe) {
				clears = false
				break
			}
		}
		if clears {
			return c.raw, true
		}
	}
	return "", false
}
