// Package eol knows when runtimes and base images stop receiving security
// fixes. The facts live in eol.json, embedded at build time and replaceable
// at run time (Parse), so a new release date needs no code change.
package eol

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed eol.json
var embedded []byte

// Release is one release cycle of a product ("node" "16").
type Release struct {
	Product  string    // key in the table: node, python, go, ubuntu…
	Name     string    // for people: "Node.js"
	Cycle    string    // "16", "3.9", "16.04"
	Codename string    // "buster", "xenial"; empty when the product has none
	EOL      time.Time // end of security support
}

// IsEOL reports whether the release is past its end of life at now.
func (r Release) IsEOL(now time.Time) bool { return !r.EOL.IsZero() && !now.Before(r.EOL) }

// String is "Node.js 16" or "Debian 10 (buster)".
func (r Release) String() string {
	s := r.Name + " " + r.Cycle
	if r.Codename != "" {
		s += " (" + r.Codename + ")"
	}
	return s
}

// Table is a parsed EOL data file.
type Table struct {
	Updated  string // date the data was last checked
	Source   string // where the facts come from
	products map[string]product
	byImage  map[string]string // image name → product
	byLambda map[string]string // AWS Lambda runtime prefix → product
}

type product struct {
	releases []Release // longest cycle first, so "3.10" is tried before "3.1"
}

type fileFormat struct {
	Updated  string `json:"updated"`
	Source   string `json:"source"`
	Products map[string]struct {
		Name     string   `json:"name"`
		Images   []string `json:"images"`
		Lambda   []string `json:"lambda"`
		Releases []struct {
			Cycle    string `json:"cycle"`
			Codename string `json:"codename"`
			EOL      string `json:"eol"`
		} `json:"releases"`
	} `json:"products"`
}

// Parse reads an EOL data file in the format of eol.json.
func Parse(data []byte) (*Table, error) {
	var f fileFormat
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("eol data: %w", err)
	}
	t := &Table{Updated: f.Updated, Source: f.Source, products: map[string]product{}, byImage: map[string]string{}, byLambda: map[string]string{}}
	for key, p := range f.Products {
		var rs []Release
		for _, r := range p.Releases {
			if r.Cycle == "" {
				return nil, fmt.Errorf("eol data: %s: release without cycle", key)
			}
			d, err := time.Parse(time.DateOnly, r.EOL)
			if err != nil {
				return nil, fmt.Errorf("eol data: %s %s: %w", key, r.Cycle, err)
			}
			rs = append(rs, Release{Product: key, Name: p.Name, Cycle: r.Cycle, Codename: r.Codename, EOL: d})
		}
		sort.SliceStable(rs, func(i, j int) bool { return len(rs[i].Cycle) > len(rs[j].Cycle) })
		t.products[key] = product{releases: rs}
		for _, img := range p.Images {
			t.byImage[img] = key
		}
		for _, l := range p.Lambda {
			t.byLambda[l] = key
		}
	}
	return t, nil
}

var defaultTable = sync.OnceValues(func() (*Table, error) { return Parse(embedded) })

// Default is the table shipped with warden. The embedded file is tested, so
// an error here is a build defect.
func Default() *Table {
	t, err := defaultTable()
	if err != nil {
		panic(err)
	}
	return t
}

// Lookup is the convenience other checks (workflows' actions/setup-*) call:
// the release of product that version belongs to, if the shipped table says
// it is past its end of life today.
func Lookup(product, version string) (Release, bool) {
	r, ok := Default().Lookup(product, version)
	if !ok || !r.IsEOL(time.Now()) {
		return Release{}, false
	}
	return r, true
}

// Lookup finds the release cycle of product that version ("16.20.1",
// "3.9", "16.x", "v18", "go1.21.3", "buster") belongs to, EOL or not.
func (t *Table) Lookup(product, version string) (Release, bool) {
	p, ok := t.products[product]
	if !ok {
		return Release{}, false
	}
	v := normaliseVersion(version)
	if v == "" {
		return Release{}, false
	}
	for _, r := range p.releases {
		if r.Codename != "" && strings.EqualFold(v, r.Codename) {
			return r, true
		}
		if v == r.Cycle || strings.HasPrefix(v, r.Cycle+".") {
			return r, true
		}
	}
	return Release{}, false
}

// normaliseVersion strips decorations that do not change the cycle:
// a leading "v" or "go", and wildcard components ("16.x", "3.*").
func normaliseVersion(v string) string {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `"'`))
	v = strings.TrimPrefix(v, "go")
	v = strings.TrimPrefix(v, "v")
	for _, wild := range []string{".x", ".X", ".*"} {
		for strings.HasSuffix(v, wild) {
			v = strings.TrimSuffix(v, wild)
		}
	}
	return v
}
