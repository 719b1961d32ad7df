package inventory

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestInventoryGolden extracts every fixture repository and compares the
// packages, with their declaring lines, to testdata/golden/<repo>.txt.
func TestInventoryGolden(t *testing.T) {
	ex, err := New()
	if err != nil {
		t.Fatal(err)
	}
	repos, err := os.ReadDir("../testdata/repos")
	if err != nil {
		t.Fatal(err)
	}
	for _, repo := range repos {
		t.Run(repo.Name(), func(t *testing.T) {
			tree, err := source.Dir(filepath.Join("../testdata/repos", repo.Name()))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			files, err := tree.Files(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, fi := range files {
				if !ex.Supports(fi.Path) {
					continue
				}
				content, err := tree.ReadFile(ctx, fi.Path)
				if err != nil {
					t.Fatal(err)
				}
				f, err := ex.Extract(ctx, tree, fi.Path, content, 1<<20)
				if err != nil {
					fmt.Fprintf(&b, "%s: error\n", fi.Path) // the message is scalibr's; only its presence is contract
					continue
				}
				lines := strings.Split(string(content), "\n")
				for _, p := range f.Packages {
					if p.Line < 1 || p.Line > len(lines) {
						t.Errorf("%s: %s at line %d outside the file", fi.Path, p.Key(), p.Line)
						continue
					}
					lic := ""
					if p.License != "" {
						lic = " license=" + p.License
					}
					fmt.Fprintf(&b, "%s:%d %s%s | %s\n", p.Path, p.Line, p.Key(), lic, strings.TrimSpace(lines[p.Line-1]))
				}
				for _, u := range f.Unpinned {
					fmt.Fprintf(&b, "%s:%d unpinned %s\n", fi.Path, u.Line, u.Spec)
				}
			}
			golden := filepath.Join("testdata", "golden", repo.Name()+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if b.String() != string(want) {
				t.Errorf("inventory differs from %s:\n--- got\n%s--- want\n%s", golden, b.String(), want)
			}
		})
	}
}
