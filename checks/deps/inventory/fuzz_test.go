package inventory

import (
	"context"
	"testing"
)

// FuzzExtract feeds arbitrary content to every extractor under its file
// name: a hostile lockfile must produce packages or an error, never a
// panic, and every package must point inside the file.
func FuzzExtract(f *testing.F) {
	names := []string{"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "go.mod", "Cargo.lock", "pom.xml", "gradle.lockfile", "Gemfile.lock", "composer.lock", "packages.lock.json"}
	f.Add(uint8(0), []byte(`{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","license":{"type":"MIT"}}}}`))
	f.Add(uint8(1), []byte("a@^1:\n  version \"1.0.0\"\n"))
	f.Add(uint8(3), []byte("a==1.0 \\\n  --hash=sha256:00\nb>=2\n-r other.txt\n"))
	f.Add(uint8(7), []byte("module m\ngo 1.22\nrequire x.invalid/y v1.0.0\n"))
	f.Add(uint8(9), []byte("<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version><relativePath>../pom.xml</relativePath></parent></project>"))
	ex, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		name := names[int(which)%len(names)]
		file, err := ex.Extract(context.Background(), nil, name, content, 1<<20)
		if err != nil {
			return
		}
		lines := len(newLineIndex(content).lines)
		for _, p := range file.Packages {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("%s: %s at line %d of %d", name, p.Key(), p.Line, lines)
			}
		}
	})
}

func FuzzLineFind(f *testing.F) {
	f.Add([]byte("\"lodash@4.17.20\":\n  version \"4.17.20\"\n"), "lodash", "4.17.20")
	f.Add([]byte("<groupId>g</groupId>\n<artifactId>a</artifactId>\n<version>1</version>"), "g:a", "1")
	f.Fuzz(func(t *testing.T, content []byte, name, version string) {
		li := newLineIndex(content)
		n := li.find(name, version)
		if n < 1 || n > len(li.lines) {
			t.Fatalf("line %d outside 1..%d", n, len(li.lines))
		}
		if want := findLinear(li.lines, name, version); n != want {
			t.Fatalf("find = %d, linear scan says %d", n, want)
		}
	})
}
