package osv

import (
	"context"
	"testing"
)

func loadTestDB(t testing.TB) *LocalDB {
	t.Helper()
	db, err := LoadLocalDB(context.Background(), "../testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func mustVuln(t *testing.T, db *LocalDB, id string) *Vuln {
	t.Helper()
	v, ok := db.Vuln(id)
	if !ok {
		t.Fatalf("fixture %s missing", id)
	}
	return v
}

func TestAffects(t *testing.T) {
	db := loadTestDB(t)
	tests := []struct {
		id   string
		key  PackageKey
		want bool
	}{
		// ECOSYSTEM range, introduced 0, fixed.
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "lodash", "4.17.15"}, true},
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "lodash", "4.17.20"}, true},
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "lodash", "4.17.21"}, false}, // the fixed version itself
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "lodash", "5.0.0"}, false},
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "lodash", "1.0.0-rc.1"}, true},
		// Names are exact in npm; a lookalike is a different package.
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"npm", "Lodash", "4.17.15"}, false},
		{"GHSA-35jh-r3h4-6jhm", PackageKey{"PyPI", "lodash", "4.17.15"}, false},
		// last_affected: the bound itself is affected, anything above is not.
		{"GHSA-29mw-wpgm-hmr9", PackageKey{"npm", "lodash.trim", "4.5.1"}, true},
		{"GHSA-29mw-wpgm-hmr9", PackageKey{"npm", "lodash.trim", "4.5.2"}, false},
		// Several ranges for one package (log4j backports).
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"}, true},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.12.2"}, false},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.12.1"}, true},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.3.1"}, false},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.3"}, true},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.15.0"}, false},
		// Maven ordering: 2.13.0-beta1 sorts before 2.13.0, so outside [2.13.0, 2.15.0) but inside [2.4, 2.12.2)? no: above 2.12.2.
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.13.0-beta1"}, false},
		{"GHSA-jfh8-c2jp-5v3q", PackageKey{"Maven", "org.apache.logging.log4j:log4j-api", "2.14.1"}, false},
		// SEMVER range with a pre-release introduced bound (Go).
		{"GO-2025-3553", PackageKey{"Go", "github.com/golang-jwt/jwt/v5", "5.0.0-rc.1"}, true},
		{"GO-2025-3553", PackageKey{"Go", "github.com/golang-jwt/jwt/v5", "4.9.9"}, false},
		{"GO-2025-3553", PackageKey{"Go", "github.com/golang-jwt/jwt/v5", "5.2.2"}, false},
		{"GO-2025-3553", PackageKey{"Go", "github.com/golang-jwt/jwt/v4", "4.5.0"}, true},
		// A range with no fix affects every version.
		{"GO-2025-3553", PackageKey{"Go", "github.com/golang-jwt/jwt", "3.2.2+incompatible"}, true},
		// PEP 440 ordering and PEP 503 name folding.
		{"GHSA-j8r2-6x86-q33q", PackageKey{"PyPI", "Requests", "2.30.0"}, true},
		{"GHSA-j8r2-6x86-q33q", PackageKey{"PyPI", "requests", "2.31.0rc1"}, true},
		{"GHSA-j8r2-6x86-q33q", PackageKey{"PyPI", "requests", "2.31.0"}, false},
		{"GHSA-j8r2-6x86-q33q", PackageKey{"PyPI", "requests", "2.2.1"}, false},
		// The versions list alone.
		{"PYSEC-2023-74", PackageKey{"PyPI", "requests", "2.28.1"}, true},
		// A withdrawn record affects nothing.
		{"GHSA-w596-4wvx-j9j6", PackageKey{"PyPI", "py", "1.11.0"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.key.String(), func(t *testing.T) {
			if got := mustVuln(t, db, tt.id).Affects(tt.key); got != tt.want {
				t.Errorf("Affects = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRangeEvents(t *testing.T) {
	tests := []struct {
		name    string
		r       Range
		version string
		want    bool
	}{
		{"limit bounds the range", Range{Type: "SEMVER", Events: []Event{{Introduced: "1.0.0"}, {Limit: "2.0.0"}}}, "2.5.0", false},
		{"below limit", Range{Type: "SEMVER", Events: []Event{{Introduced: "1.0.0"}, {Limit: "2.0.0"}}}, "1.5.0", true},
		{"reintroduced", Range{Type: "SEMVER", Events: []Event{{Introduced: "1.0.0"}, {Fixed: "1.2.0"}, {Introduced: "2.0.0"}, {Fixed: "2.1.0"}}}, "2.0.5", true},
		{"between ranges", Range{Type: "SEMVER", Events: []Event{{Introduced: "1.0.0"}, {Fixed: "1.2.0"}, {Introduced: "2.0.0"}, {Fixed: "2.1.0"}}}, "1.5.0", false},
		{"events out of order", Range{Type: "SEMVER", Events: []Event{{Fixed: "1.2.0"}, {Introduced: "1.0.0"}}}, "1.1.0", true},
		{"git ranges are not evaluated", Range{Type: "GIT", Events: []Event{{Introduced: "0"}}}, "1.0.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.contains("PyPI", tt.version); got != tt.want {
				t.Errorf("contains(%s) = %v, want %v", tt.version, got, tt.want)
			}
		})
	}
}

// An ecosystem warden cannot order is never guessed at.
func TestRangeUnknownEcosystem(t *testing.T) {
	r := Range{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}
	if r.contains("NoSuchEcosystem", "1.0") {
		t.Error("an ECOSYSTEM range of an unknown ecosystem matched")
	}
	if !(Range{Type: "SEMVER", Events: []Event{{Introduced: "0"}}}).contains("NoSuchEcosystem", "1.0") {
		t.Error("a SEMVER range must not depend on the ecosystem")
	}
}

func TestLowestFix(t *testing.T) {
	db := loadTestDB(t)
	get := func(ids ...string) []*Vuln {
		var out []*Vuln
		for _, id := range ids {
			out = append(out, mustVuln(t, db, id))
		}
		return out
	}
	tests := []struct {
		name   string
		key    PackageKey
		vulns  []*Vuln
		want   string
		wantOK bool
	}{
		{"one fix clears all three lodash advisories", PackageKey{"npm", "lodash", "4.17.15"},
			get("GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm", "GHSA-29mw-wpgm-hmr9"), "4.17.21", true},
		{"4.17.20 would still be affected by two", PackageKey{"npm", "lodash", "4.17.19"},
			get("GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm"), "4.17.21", true},
		{"backport fixes below the current version are skipped", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"},
			get("GHSA-jfh8-c2jp-5v3q"), "2.15.0", true},
		{"the backport is the lowest fix on an old line", PackageKey{"Maven", "org.apache.logging.log4j:log4j-core", "2.11.0"},
			get("GHSA-jfh8-c2jp-5v3q"), "2.12.2", true},
		{"no fix for last_affected only", PackageKey{"npm", "lodash.trim", "4.5.1"},
			get("GHSA-29mw-wpgm-hmr9"), "", false},
		{"no fix when one range never closes", PackageKey{"Go", "github.com/golang-jwt/jwt", "3.2.2"},
			get("GO-2025-3553"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LowestFix(tt.key, tt.vulns)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("LowestFix = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestGroupAliases(t *testing.T) {
	db := loadTestDB(t)
	var vs []*Vuln
	for _, id := range []string{"GO-2025-3553", "GHSA-mh63-6h87-95cp", "PYSEC-2023-74", "GHSA-j8r2-6x86-q33q", "GHSA-35jh-r3h4-6jhm", "GHSA-w596-4wvx-j9j6"} {
		vs = append(vs, mustVuln(t, db, id))
	}
	groups := GroupAliases(vs)
	var got []string
	for _, g := range groups {
		got = append(got, g.ID)
	}
	want := []string{"GHSA-35jh-r3h4-6jhm", "GHSA-j8r2-6x86-q33q", "GHSA-mh63-6h87-95cp"}
	if len(got) != len(want) {
		t.Fatalf("groups = %v, want %v (withdrawn dropped, aliases merged)", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("group %d = %s, want %s", i, got[i], want[i])
		}
	}
	if n := len(groups[2].Records); n != 2 {
		t.Errorf("jwt group has %d records, want GO- and GHSA- merged", n)
	}
	if a := groups[2].Aliases; len(a) != 2 || a[0] != "CVE-2025-30204" || a[1] != "GO-2025-3553" {
		t.Errorf("jwt aliases = %v", a)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"PyPI", "Flask_SQLAlchemy"}: "flask-sqlalchemy",
		{"PyPI", "zope.interface"}:   "zope-interface",
		{"PyPI", "a--b__c"}:          "a-b-c",
		{"npm", "@Babel/Core"}:       "@Babel/Core",
		{"NuGet", "Newtonsoft.Json"}: "newtonsoft.json",
	} {
		if got := NormalizeName(in[0], in[1]); got != want {
			t.Errorf("NormalizeName(%s, %s) = %s, want %s", in[0], in[1], got, want)
		}
	}
}

func FuzzRangeContains(f *testing.F) {
	f.Add("ECOSYSTEM", "PyPI", "0", "1.0", "", "0.5")
	f.Add("SEMVER", "npm", "1.0.0-rc.1", "", "2.0.0", "1.5.0")
	f.Add("ECOSYSTEM", "Maven", "2.4", "2.12.2", "", "2.13.0-beta1")
	f.Add("ECOSYSTEM", "Go", "0", "", "1.2.3", "v1.2.3+incompatible")
	f.Fuzz(func(t *testing.T, typ, eco, introduced, fixed, lastAffected, ver string) {
		r := Range{Type: typ, Events: []Event{{Introduced: introduced}, {Fixed: fixed}, {LastAffected: lastAffected}, {Limit: fixed}}}
		got := r.contains(eco, ver)
		if got != r.contains(eco, ver) {
			t.Fatal("contains is not deterministic")
		}
		k := PackageKey{Ecosystem: eco, Name: "p", Version: ver}
		v := &Vuln{ID: "X", Affected: []Affected{{Package: Package{Ecosystem: eco, Name: "p"}, Ranges: []Range{r}}}}
		if fix, ok := LowestFix(k, []*Vuln{v}); ok && v.Affects(PackageKey{Ecosystem: eco, Name: "p", Version: fix}) {
			t.Fatalf("LowestFix returned %q which is still affected", fix)
		}
	})
}
