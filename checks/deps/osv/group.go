package osv

import (
	"sort"
	"strings"
)

// Group is one vulnerability as people count it: the records that name each
// other as aliases (GHSA-…, CVE-…, GO-…, PYSEC-… of one flaw) merged.
type Group struct {
	ID      string   // the id shown: a GHSA id when there is one
	Aliases []string // every other id of the group, sorted
	Records []*Vuln
}

// GroupAliases merges records linked by their ids or aliases, dropping
// withdrawn ones, and orders the groups by their shown id.
func GroupAliases(vulns []*Vuln) []Group {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	union := func(a, b string) { parent[find(a)] = find(b) }
	var live []*Vuln
	for _, v := range vulns {
		if v == nil || v.IsWithdrawn() {
			continue
		}
		live = append(live, v)
		find(v.ID)
		for _, a := range v.Aliases {
			union(a, v.ID)
		}
	}
	byRoot := map[string]*Group{}
	var order []string
	for _, v := range live {
		root := find(v.ID)
		g, ok := byRoot[root]
		if !ok {
			g = &Group{}
			byRoot[root] = g
			order = append(order, root)
		}
		if containsRecord(g.Records, v.ID) {
			continue
		}
		g.Records = append(g.Records, v)
	}
	out := make([]Group, 0, len(order))
	for _, root := range order {
		g := byRoot[root]
		ids := map[string]bool{}
		for _, v := range g.Records {
			ids[v.ID] = true
			for _, a := range v.Aliases {
				ids[a] = true
			}
		}
		all := make([]string, 0, len(ids))
		for id := range ids {
			all = append(all, id)
		}
		sort.Strings(all)
		g.ID = preferredID(all)
		for _, id := range all {
			if id != g.ID {
				g.Aliases = append(g.Aliases, id)
			}
		}
		sort.Slice(g.Records, func(i, j int) bool { return g.Records[i].ID < g.Records[j].ID })
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func containsRecord(rs []*Vuln, id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// preferredID picks the id reviewers can look up most easily: GitHub's
// advisory id, then an ecosystem database's (GO-, PYSEC-, RUSTSEC-…), then
// a CVE. ids is sorted, so ties resolve the same way every time.
func preferredID(ids []string) string {
	rank := func(id string) int {
		switch {
		case strings.HasPrefix(id, "GHSA-"):
			return 0
		case strings.HasPrefix(id, "CVE-"):
			return 2
		}
		return 1
	}
	best := ids[0]
	for _, id := range ids[1:] {
		if rank(id) < rank(best) {
			best = id
		}
	}
	return best
}
