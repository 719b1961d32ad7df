package deps

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// depsDev looks licenses up in the deps.dev v3 API:
// GET {base}/v3/systems/{system}/packages/{name}/versions/{version}.
type depsDev struct {
	base string
	http *http.Client
}

// depsDevSystems maps OSV ecosystems to deps.dev package systems.
var depsDevSystems = map[string]string{
	"npm": "npm", "PyPI": "pypi", "Go": "go", "Maven": "maven",
	"crates.io": "cargo", "NuGet": "nuget", "RubyGems": "rubygems",
}

// fill sets License on each package deps.dev knows, four requests at a
// time, and returns how many lookups failed (unknown packages do not count).
func (d *depsDev) fill(ctx context.Context, pkgs []*declared) int {
	client := d.http
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	var failures atomic.Int64
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, p := range pkgs {
		system, ok := depsDevSystems[p.Ecosystem]
		if !ok {
			continue
		}
		g.Go(func() error {
			lic, err := d.lookup(gctx, client, system, p.Name, p.Version)
			if err != nil {
				failures.Add(1)
				return nil
			}
			mu.Lock()
			p.License = lic
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	return int(failures.Load())
}

func (d *depsDev) lookup(ctx context.Context, client *http.Client, system, name, version string) (string, error) {
	u := fmt.Sprintf("%s/v3/systems/%s/packages/%s/versions/%s", strings.TrimRight(d.base, "/"), system, url.PathEscape(name), url.PathEscape(version))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return "", nil
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("deps.dev %s: HTTP %d", u, resp.StatusCode)
	}
	var body struct {
		Licenses []string `json:"licenses"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return "", fmt.Errorf("deps.dev %s: %w", u, err)
	}
	// Several entries all apply to the version.
	for i, l := range body.Licenses {
		if strings.Contains(l, " OR ") {
			body.Licenses[i] = "(" + l + ")"
		}
	}
	return strings.Join(body.Licenses, " AND "), nil
}
