package deps_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps"
	"github.com/wardenbot/warden/checks/deps/osv"
	"github.com/wardenbot/warden/checks/deps/osv/osvfake"
	"github.com/wardenbot/warden/checks/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

const osvFixtures = "testdata/osv"

func fakeOSV(t *testing.T) *osvfake.Server {
	t.Helper()
	db, err := osv.LoadLocalDB(context.Background(), osvFixtures)
	if err != nil {
		t.Fatal(err)
	}
	s := osvfake.New(db)
	t.Cleanup(s.Close)
	return s
}

// render prints what a user sees of a report: findings with their new-ness
// and suggested fixes, then notes.
func render(rep *checks.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s:%d %s %s new=%v | %s\n", f.Path, f.StartLine, f.Severity, f.RuleID, f.New, f.Message)
		if f.Fix != nil {
			fmt.Fprintf(&b, "  fix %d-%d: %s\n", f.Fix.StartLine, f.Fix.EndLine, f.Fix.Replacement)
		}
		if len(f.References) > 0 {
			fmt.Fprintf(&b, "  refs: %s\n", strings.Join(f.References, " "))
		}
	}
	notes := append([]checks.Note{}, rep.Notes...)
	sort.Slice(notes, func(i, j int) bool { return notes[i].Path+notes[i].Message < notes[j].Path+notes[j].Message })
	for _, n := range notes {
		if n.Check != "dependencies" {
			continue
		}
		fmt.Fprintf(&b, "note %s: %s\n", n.Path, n.Message)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "error %s: %s\n", e.Check, e.Error)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func scanDir(t *testing.T, dir string, opts deps.Options) *checks.Report {
	t.Helper()
	tree, err := source.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{deps.New(opts)}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A full scan of each fixture repository against the OSV fake, golden.
func TestFullScanGolden(t *testing.T) {
	fake := fakeOSV(t)
	for _, repo := range []string{"monorepo", "npm-v3", "npm-v1", "yarn-v1", "yarn-berry", "pnpm", "python", "go", "java", "broken", "rust", "ruby", "php", "dotnet"} {
		t.Run(repo, func(t *testing.T) {
			rep := scanDir(t, filepath.Join("testdata/repos", repo), deps.Options{OSVURL: fake.URL})
			golden(t, "scan-"+repo, render(rep))
		})
	}
}

// The local export gives the same findings as the API, with no network.
func TestOfflineWithLocalDB(t *testing.T) {
	fake := fakeOSV(t)
	online := render(scanDir(t, "testdata/repos/monorepo", deps.Options{OSVURL: fake.URL}))
	offline := render(scanDir(t, "testdata/repos/monorepo", deps.Options{Offline: true, OSVDB: osvFixtures, OSVURL: "http://127.0.0.1:1"}))
	if online != offline {
		t.Errorf("offline findings differ from online:\n--- online\n%s--- offline\n%s", online, offline)
	}
}

func TestNeverSilentlyClean(t *testing.T) {
	tests := []struct {
		name string
		opts deps.Options
		note string
	}{
		{"offline without a database", deps.Options{Offline: true}, "dependency vulnerabilities not checked: offline and no local OSV database given"},
		{"unreachable API", deps.Options{OSVURL: "http://127.0.0.1:1"}, "dependency vulnerabilities not checked: OSV API at http://127.0.0.1:1 unavailable"},
		{"missing database", deps.Options{OSVDB: filepath.Join(t.TempDir(), "nope.zip")}, "dependency vulnerabilities not checked: osv database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := scanDir(t, "testdata/repos/npm-v3", tt.opts)
			for _, f := range rep.Findings {
				if f.RuleID == "dependencies/osv" {
					t.Errorf("finding without data: %s", f.Message)
				}
			}
			found := false
			for _, n := range rep.Notes {
				found = found || strings.Contains(n.Message, tt.note)
			}
			if !found {
				t.Errorf("no note %q in %v", tt.note, rep.Notes)
			}
		})
	}
}

// mapTree is an in-memory checks.Tree.
type mapTree map[string]string

func (m mapTree) Files(context.Context) ([]checks.FileInfo, error) {
	var out []checks.FileInfo
	for p, c := range m {
		out = append(out, checks.FileInfo{Path: p, Size: int64(len(c))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (m mapTree) ReadFile(_ context.Context, p string) ([]byte, error) {
	c, ok := m[p]
	if !ok {
		return nil, checks.ErrNotFound
	}
	return []byte(c), nil
}

// diffOf marks as added every head line that the base file lacks (a
// stand-in for git's diff that is exact for these fixtures).
func diffOf(base, head mapTree) *checks.Diff {
	var files []checks.FileChange
	for p, hc := range head {
		bc, existed := base[p]
		if existed && bc == hc {
			continue
		}
		baseLines := map[string]int{}
		for _, l := range strings.Split(bc, "\n") {
			baseLines[l]++
		}
		fc := checks.FileChange{Path: p, Status: checks.StatusModified}
		if !existed {
			fc.Status = checks.StatusAdded
		}
		for i, l := range strings.Split(hc, "\n") {
			if baseLines[l] > 0 {
				baseLines[l]--
				continue
			}
			fc.Added = fc.Added.Add(i + 1)
		}
		files = append(files, fc)
	}
	return checks.NewDiff("base", "head", files, nil)
}

func TestDiffScan(t *testing.T) {
	fake := fakeOSV(t)
	base := mapTree{
		"api/requirements.txt": "Django==4.2.7\nrequests==2.31.0\npy==1.11.0\n",
		"web/yarn.lock":        mustRead(t, "testdata/repos/yarn-v1/yarn.lock"),
		"svc/go.mod":           "module example.invalid/svc\n\ngo 1.22.1\n\nrequire github.com/golang-jwt/jwt/v4 v4.5.2\n",
		"README.md":            "hello\n",
	}
	head := mapTree{
		// requests downgraded into the vulnerable range: introduced, with a fix.
		"api/requirements.txt": "Django==4.2.7\nrequests==2.30.0\npy==1.11.0\nflask>=2.0\n",
		// yarn.lock touched elsewhere: lodash 4.17.20 was already there.
		"web/yarn.lock": strings.Replace(mustRead(t, "testdata/repos/yarn-v1/yarn.lock"), "undici-types@~5.26.4:\n  version \"5.26.5\"", "undici-types@~5.26.4:\n  version \"5.26.6\"", 1),
		// jwt downgraded on the same line.
		"svc/go.mod": "module example.invalid/svc\n\ngo 1.22.1\n\nrequire github.com/golang-jwt/jwt/v4 v4.5.0\n",
		// A new lockfile: everything in it is introduced.
		"tools/package-lock.json": mustRead(t, "testdata/repos/npm-v3/package-lock.json"),
		"README.md":               "hello\n",
	}
	target := &checks.Target{Head: head, Base: base, Diff: diffOf(base, head)}
	rep, err := checks.Run(context.Background(), target, checks.Options{Checks: []checks.Check{deps.New(deps.Options{OSVURL: fake.URL, LicenseDeny: []string{"WTFPL"}})}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "diff", render(rep))
}

func TestLicensePolicy(t *testing.T) {
	fake := fakeOSV(t)
	rep := scanDir(t, "testdata/repos/php", deps.Options{OSVURL: fake.URL, LicenseAllow: []string{"MIT", "Apache-2.0"}})
	golden(t, "license-allow-php", render(rep))
	rep = scanDir(t, "testdata/repos/npm-v3", deps.Options{Offline: true, OSVDB: osvFixtures, LicenseDeny: []string{"WTFPL"}})
	golden(t, "license-deny-npm", render(rep))
	rep = scanDir(t, "testdata/repos/ruby", deps.Options{Offline: true, OSVDB: osvFixtures, LicenseAllow: []string{"MIT"}, ReportUnknownLicenses: true})
	golden(t, "license-unknown-ruby", render(rep))
}

func TestRulesDocumented(t *testing.T) {
	for _, r := range deps.New(deps.Options{}).Rules() {
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" || r.HelpURI == "" || len(r.References) == 0 || r.Severity == 0 || r.Category != checks.CategoryDependencies {
			t.Errorf("rule %q is not fully documented: %+v", r.ID, r)
		}
	}
}

func TestCancelled(t *testing.T) {
	tree, err := source.Dir("testdata/repos/monorepo")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = deps.New(deps.Options{Offline: true}).Run(ctx, &checks.Target{Head: tree, Paths: []string{"web/package-lock.json"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUTF16ManifestIsRead: pip reads a requirements file with a UTF-16
// byte-order mark, so its vulnerable pins must not slip past as "binary".
func TestUTF16ManifestIsRead(t *testing.T) {
	fake := fakeOSV(t)
	utf16 := func(s string) string {
		var b strings.Builder
		b.WriteString("\xff\xfe")
		for _, r := range s {
			b.WriteByte(byte(r))
			b.WriteByte(0)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, content string
		want          string
	}{
		{"UTF-16 with a byte-order mark", utf16("requests==2.30.0\r\n"), "requirements.txt:1 medium dependencies/osv new=true"},
		{"UTF-8", "requests==2.30.0\n", "requirements.txt:1 medium dependencies/osv new=true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := checks.Run(context.Background(), &checks.Target{Head: mapTree{"requirements.txt": tc.content}}, checks.Options{Checks: []checks.Check{deps.New(deps.Options{OSVURL: fake.URL})}})
			if err != nil {
				t.Fatal(err)
			}
			if got := render(rep); !strings.Contains(got, tc.want) {
				t.Errorf("want %q in:\n%s", tc.want, got)
			}
		})
	}
}
