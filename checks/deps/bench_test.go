package deps_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps"
	"github.com/wardenbot/warden/checks/deps/osv"
	"github.com/wardenbot/warden/checks/deps/osv/osvfake"
)

// Benchmark inputs: a 5,000-package package-lock.json and a 2,000-line
// requirements.txt; every 20th package has a synthetic advisory, so matching
// and fix computation run as well as lookups.
const (
	benchNPM    = 5000
	benchPyPI   = 2000
	benchStride = 20
)

func benchNPMLock() string {
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"bench\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\"name\": \"bench\", \"version\": \"1.0.0\"}")
	for i := range benchNPM {
		fmt.Fprintf(&b, ",\n    \"node_modules/bench-pkg-%d\": {\n      \"version\": \"1.%d.0\",\n      \"resolved\": \"https://registry.npmjs.org/bench-pkg-%d/-/bench-pkg-%d-1.%d.0.tgz\",\n      \"license\": \"MIT\"\n    }", i, i%7, i, i, i%7)
	}
	b.WriteString("\n  }\n}\n")
	return b.String()
}

func benchRequirements() string {
	var b strings.Builder
	for i := range benchPyPI {
		fmt.Fprintf(&b, "bench-py-%d==2.%d.1\n", i, i%5)
	}
	return b.String()
}

// benchRecords writes synthetic advisories: one per benchStride packages
// of each ecosystem, fixed above the declared version.
func benchRecords() map[string][]*osv.Vuln {
	out := map[string][]*osv.Vuln{}
	for i := 0; i < benchNPM; i += benchStride {
		out["npm"] = append(out["npm"], &osv.Vuln{ID: fmt.Sprintf("BENCH-NPM-%d", i), Summary: "synthetic", Affected: []osv.Affected{{
			Package: osv.Package{Ecosystem: "npm", Name: fmt.Sprintf("bench-pkg-%d", i)},
			Ranges:  []osv.Range{{Type: "SEMVER", Events: []osv.Event{{Introduced: "0"}, {Fixed: "1.9.0"}}}},
		}}, Severity: []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}}})
	}
	for i := 0; i < benchPyPI; i += benchStride {
		out["PyPI"] = append(out["PyPI"], &osv.Vuln{ID: fmt.Sprintf("BENCH-PY-%d", i), Summary: "synthetic", Affected: []osv.Affected{{
			Package: osv.Package{Ecosystem: "PyPI", Name: fmt.Sprintf("bench-py-%d", i)},
			Ranges:  []osv.Range{{Type: "ECOSYSTEM", Events: []osv.Event{{Introduced: "0"}, {Fixed: "3.0"}}}},
		}}})
	}
	return out
}

// writeBenchDB lays the records out as osv-scanner's offline cache does:
// <dir>/osv-scanner/<ecosystem>/all.zip, which warden's loader also reads.
func writeBenchDB(tb testing.TB, dir string) {
	tb.Helper()
	for eco, vulns := range benchRecords() {
		p := filepath.Join(dir, "osv-scanner", eco, "all.zip")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			tb.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, v := range vulns {
			w, err := zw.Create(v.ID + ".json")
			if err != nil {
				tb.Fatal(err)
			}
			if err := json.NewEncoder(w).Encode(v); err != nil {
				tb.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestWriteBenchFixture writes the benchmark project and database for
// bench/deps.sh (to compare with osv-scanner): WARDEN_BENCH_OUT=dir.
func TestWriteBenchFixture(t *testing.T) {
	out := os.Getenv("WARDEN_BENCH_OUT")
	if out == "" {
		t.Skip("WARDEN_BENCH_OUT not set")
	}
	for p, c := range map[string]string{"project/package-lock.json": benchNPMLock(), "project/requirements.txt": benchRequirements()} {
		if err := os.MkdirAll(filepath.Join(out, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeBenchDB(t, filepath.Join(out, "db"))
}

type benchEnv struct {
	tree mapTree
	fake *osvfake.Server
	db   string
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	dir := b.TempDir()
	writeBenchDB(b, dir)
	db, err := osv.LoadLocalDB(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	fake := osvfake.New(db)
	b.Cleanup(fake.Close)
	return &benchEnv{tree: mapTree{"web/package-lock.json": benchNPMLock(), "api/requirements.txt": benchRequirements()}, fake: fake, db: dir}
}

func runBench(b *testing.B, c *deps.Check, tree mapTree) {
	b.Helper()
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
	if err != nil {
		b.Fatal(err)
	}
	want := benchNPM/benchStride + benchPyPI/benchStride
	if len(rep.Findings) != want || len(rep.Errors) > 0 {
		b.Fatalf("%d findings (want %d), errors %v, notes %v", len(rep.Findings), want, rep.Errors, rep.Notes)
	}
}

// Cold: a new check (empty cache) per scan: 7 querybatch requests and 350
// record fetches over loopback.
func BenchmarkScanColdCache(b *testing.B) {
	env := newBenchEnv(b)
	for b.Loop() {
		runBench(b, deps.New(deps.Options{OSVURL: env.fake.URL}), env.tree)
	}
}

// Warm: the same check scans again; every answer comes from the cache.
func BenchmarkScanWarmCache(b *testing.B) {
	env := newBenchEnv(b)
	c := deps.New(deps.Options{OSVURL: env.fake.URL})
	runBench(b, c, env.tree)
	before := env.fake.BatchRequests.Load()
	for b.Loop() {
		runBench(b, c, env.tree)
	}
	if n := env.fake.BatchRequests.Load(); n != before {
		b.Fatalf("warm scans made %d querybatch requests", n-before)
	}
}

// Offline against the local export (loaded once, as `warden serve` would).
func BenchmarkScanLocalDB(b *testing.B) {
	env := newBenchEnv(b)
	c := deps.New(deps.Options{Offline: true, OSVDB: env.db})
	for b.Loop() {
		runBench(b, c, env.tree)
	}
}

// Offline including loading the export, as a one-shot `warden scan` pays.
func BenchmarkScanLocalDBWithLoad(b *testing.B) {
	env := newBenchEnv(b)
	for b.Loop() {
		runBench(b, deps.New(deps.Options{Offline: true, OSVDB: env.db}), env.tree)
	}
}
