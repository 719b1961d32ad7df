package inventory

import (
	"encoding/json"
	"strings"
)

// npmLockLicenses reads the `license` field npm records for each package
// in package-lock.json v2/v3 ("packages" keyed by install path).
func npmLockLicenses(content []byte, pkgs []Package) {
	var lock struct {
		Packages map[string]struct {
			Name    string          `json:"name"`
			Version string          `json:"version"`
			License json.RawMessage `json:"license"`
		} `json:"packages"`
	}
	if json.Unmarshal(content, &lock) != nil {
		return
	}
	byKey := map[string]string{}
	for path, p := range lock.Packages {
		name := p.Name
		if name == "" {
			i := strings.LastIndex(path, "node_modules/")
			if i < 0 {
				continue
			}
			name = path[i+len("node_modules/"):]
		}
		if l := licenseString(p.License); l != "" {
			byKey[name+"@"+p.Version] = l
		}
	}
	for i := range pkgs {
		if l, ok := byKey[pkgs[i].Name+"@"+pkgs[i].Version]; ok {
			pkgs[i].License = l
		}
	}
}

// composerLicenses reads composer.lock's `license` arrays (alternatives).
func composerLicenses(content []byte, pkgs []Package) {
	var lock struct {
		Packages    []composerPkg `json:"packages"`
		PackagesDev []composerPkg `json:"packages-dev"`
	}
	if json.Unmarshal(content, &lock) != nil {
		return
	}
	byKey := map[string]string{}
	for _, p := range append(lock.Packages, lock.PackagesDev...) {
		if len(p.License) > 0 {
			byKey[p.Name+"@"+strings.TrimPrefix(p.Version, "v")] = strings.Join(p.License, " OR ")
		}
	}
	for i := range pkgs {
		if l, ok := byKey[pkgs[i].Name+"@"+strings.TrimPrefix(pkgs[i].Version, "v")]; ok {
			pkgs[i].License = l
		}
	}
}

type composerPkg struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	License []string `json:"license"`
}

// licenseString accepts npm's string form and the legacy {"type": …} form.
func licenseString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return strings.TrimSpace(obj.Type)
	}
	return ""
}
