package inventory

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// splitCases are lockfiles in shapes the fixtures do not cover: scopes,
// aliases, git and file dependencies, links, escaped keys, CRLF line ends,
// compact (one-line) files and v1 nesting three deep.
var splitCases = map[string]string{
	"v3-shapes/package-lock.json": "{\r\n  \"lockfileVersion\": 3,\r\n  \"packages\": {\r\n" +
		"    \"\": {\"name\": \"root\", \"version\": \"1.0.0\"},\r\n" +
		"    \"node_modules/@scope/a\": {\"version\": \"1.0.0\"},\r\n" +
		"    \"node_modules/string-width-cjs\": {\"name\": \"string-width\", \"version\": \"4.2.3\"},\r\n" +
		"    \"node_modules/gitdep\": {\"version\": \"1.0.0\", \"resolved\": \"git+ssh://git@github.com/o/gitdep.git#0123456789abcdef0123456789abcdef01234567\"},\r\n" +
		"    \"node_modules/linked\": {\"resolved\": \"packages/linked\", \"link\": true},\r\n" +
		"    \"node_modules/a\\u002eb\": {\r\n      \"version\": \"2.0.0\"\r\n    },\r\n" +
		"    \"node_modules/\\u00e9t\\u00e9\":\r\n\r\n      {\"version\": \"0.1.0\"}\r\n" +
		"  }\r\n}\r\n",
	"one-line/package-lock.json": `{"lockfileVersion":2,"packages":{"node_modules/x":{"version":"1.0.0"},"node_modules/y":{"version":"2.0.0"}},"dependencies":{"x":{"version":"1.0.0"}}}`,
	"v1-deep/package-lock.json": `{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "dependencies": {
        "b": {
          "version": "2.0.0",
          "requires": {"c": "^3"},
          "dependencies": {
            "c": {"version": "3.0.0"}
          }
        }
      }
    },
    "b": {"version": "2.1.0"},
    "aliased": {"version": "npm:real-name@5.0.0"},
    "local": {"version": "file:../local"}
  }
}
`,
	"dev/composer.lock": `{
    "packages": [],
    "packages-dev": [
        {"version": "1.0.0", "name": "vendor/late-name"},
        {
            "name": "vendor/b",
            "version": "v2.0.0"
        }
    ]
}`,
}

// extractBoth runs the plugin for name on content twice: split (the path
// warden takes) and whole (scalibr alone on the whole file, the reference).
func extractBoth(t *testing.T, name string, content []byte) (split, whole []string, didSplit bool) {
	t.Helper()
	ex, err := New()
	if err != nil {
		t.Fatal(err)
	}
	pl := ex.pluginFor(name, int64(len(content)))
	if pl == nil || pl.split == nil {
		t.Fatalf("%s: no splitting extractor", name)
	}
	_, splitErr := pl.split.split(content)
	render := func(pl *plugin) []string {
		e := &Extractor{plugins: []plugin{*pl}}
		f, err := e.Extract(context.Background(), nil, name, content, 0)
		if err != nil {
			return []string{"error: " + err.Error()}
		}
		var out []string
		for _, p := range f.Packages {
			out = append(out, fmt.Sprintf("%d %s %s", p.Line, p.Key(), p.License))
		}
		sort.Strings(out)
		return out
	}
	ref := *pl
	ref.split = nil
	return render(pl), render(&ref), splitErr == nil
}

// Split extraction finds the same packages on the same lines as scalibr
// given the whole file, on every fixture and on the shapes above.
func TestSplitAgreesWithScalibr(t *testing.T) {
	cases := map[string]string{}
	for k, v := range splitCases {
		cases[k] = v
	}
	err := filepath.WalkDir("../testdata/repos", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if base := path.Base(filepath.ToSlash(p)); base == "package-lock.json" || base == "composer.lock" {
			b, err := os.ReadFile(p)
			cases[filepath.ToSlash(p)] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 300} {
		for _, f := range benchFormats {
			if f.name == "package-lock.json" || f.name == "v1/package-lock.json" || f.name == "composer.lock" {
				cases[fmt.Sprintf("generated-%d/%s", n, f.name)] = f.gen(n)
			}
		}
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			split, whole, didSplit := extractBoth(t, path.Base(name), []byte(content))
			if strings.Contains(name, "broken") {
				if didSplit {
					t.Error("a truncated lockfile was split")
				}
			} else if !didSplit {
				t.Error("not split: extraction fell back to the whole file")
			}
			if strings.Join(split, "\n") != strings.Join(whole, "\n") {
				t.Errorf("split extraction differs from scalibr's:\n--- split\n%s\n--- scalibr\n%s", strings.Join(split, "\n"), strings.Join(whole, "\n"))
			}
			if len(whole) == 0 {
				t.Error("the case extracts nothing")
			}
		})
	}
}

// Files that are not plain, well-formed lockfiles go to scalibr whole, so
// its packages or its error stand.
func TestSplitFallsBack(t *testing.T) {
	for name, content := range map[string]string{
		"truncated":      `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}`,
		"trailing data":  `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}}} {}`,
		"duplicate key":  `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"},"node_modules/a":{"version":"2.0.0"}}}`,
		"case variant":   `{"lockfileVersion":3,"Packages":{"node_modules/a":{"version":"1.0.0"}}}`,
		"null document":  `null`,
		"wrong type":     `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":1}}}`,
		"v1 dup nesting": `{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"1.0.0"}},"Dependencies":{}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			split, whole, _ := extractBoth(t, "package-lock.json", []byte(content))
			if strings.Join(split, "\n") != strings.Join(whole, "\n") {
				t.Errorf("differs from scalibr:\n--- split\n%s\n--- scalibr\n%s", strings.Join(split, "\n"), strings.Join(whole, "\n"))
			}
		})
	}
}

// One version installed at two paths, or under an alias, is one package,
// at its first declaration (scalibr alone keeps one of them at random).
func TestSplitDuplicateVersionFirstLine(t *testing.T) {
	content := `{
  "lockfileVersion": 3,
  "packages": {
    "node_modules/b/node_modules/a": {"version": "1.0.0"},
    "node_modules/b": {"version": "3.0.0"},
    "node_modules/a": {"version": "1.0.0"},
    "node_modules/sw": {"version": "4.2.3"},
    "node_modules/sw-cjs": {"name": "sw", "version": "4.2.3"}
  }
}`
	ex, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		f, err := ex.Extract(context.Background(), nil, "package-lock.json", []byte(content), 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range f.Packages {
			got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key()))
		}
		if want := "4 npm/a@1.0.0, 5 npm/b@3.0.0, 7 npm/sw@4.2.3"; strings.Join(got, ", ") != want {
			t.Fatalf("got %s, want %s", strings.Join(got, ", "), want)
		}
	}
}

// FuzzSplitAgrees: whatever the content, the split path finds the same
// package versions as scalibr on the whole file, or the same error. (Lines
// are compared by TestSplitAgreesWithScalibr: when one version is declared
// twice, scalibr alone keeps one of the lines at random.)
func FuzzSplitAgrees(f *testing.F) {
	for name, content := range splitCases {
		f.Add(path.Base(name) == "composer.lock", []byte(content))
	}
	f.Fuzz(func(t *testing.T, composer bool, content []byte) {
		name := "package-lock.json"
		if composer {
			name = "composer.lock"
		}
		split, whole, _ := extractBoth(t, name, content)
		keys := func(lines []string) string {
			set := map[string]bool{}
			for _, l := range lines {
				if strings.HasPrefix(l, "error: ") {
					set[l] = true
					continue
				}
				_, rest, _ := strings.Cut(l, " ")
				set[rest] = true
			}
			var out []string
			for k := range set {
				out = append(out, k)
			}
			sort.Strings(out)
			return strings.Join(out, "\n")
		}
		if a, b := keys(split), keys(whole); a != b {
			t.Errorf("split:\n%s\nscalibr:\n%s", a, b)
		}
	})
}
