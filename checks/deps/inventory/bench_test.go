package inventory

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Generators of large lockfiles, n packages each, in the shape each tool
// writes. Names are distinct so nothing is deduplicated away.
var benchFormats = []struct {
	name string
	gen  func(n int) string
}{
	{"package-lock.json", func(n int) string {
		var b strings.Builder
		b.WriteString("{\n  \"name\": \"bench\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"bench\", \"version\": \"1.0.0\"}")
		for i := range n {
			fmt.Fprintf(&b, ",\n    \"node_modules/pkg-%d\": {\n      \"version\": \"1.%d.0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-%d/-/pkg-%d-1.%d.0.tgz\",\n      \"license\": \"MIT\"\n    }", i, i%7, i, i, i%7)
		}
		b.WriteString("\n  }\n}\n")
		return b.String()
	}},
	{"v1/package-lock.json", func(n int) string {
		var b strings.Builder
		b.WriteString("{\n  \"name\": \"bench\",\n  \"lockfileVersion\": 1,\n  \"dependencies\": {")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "\n    \"pkg-%d\": {\n      \"version\": \"1.%d.0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-%d/-/pkg-%d-1.%d.0.tgz\"\n    }", i, i%7, i, i, i%7)
		}
		b.WriteString("\n  }\n}\n")
		return b.String()
	}},
	{"yarn.lock", func(n int) string {
		var b strings.Builder
		b.WriteString("# yarn lockfile v1\n\n")
		for i := range n {
			fmt.Fprintf(&b, "\npkg-%d@^1.%d.0:\n  version \"1.%d.0\"\n  resolved \"https://registry.yarnpkg.com/pkg-%d/-/pkg-%d-1.%d.0.tgz#00\"\n  integrity sha512-AA==\n", i, i%7, i%7, i, i, i%7)
		}
		return b.String()
	}},
	{"pnpm-lock.yaml", func(n int) string {
		var b strings.Builder
		b.WriteString("lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n")
		for i := range n {
			fmt.Fprintf(&b, "      pkg-%d:\n        specifier: ^1.%d.0\n        version: 1.%d.0\n", i, i%7, i%7)
		}
		b.WriteString("\npackages:\n")
		for i := range n {
			fmt.Fprintf(&b, "\n  pkg-%d@1.%d.0:\n    resolution: {integrity: sha512-AA==}\n", i, i%7)
		}
		b.WriteString("\nsnapshots:\n")
		for i := range n {
			fmt.Fprintf(&b, "\n  pkg-%d@1.%d.0: {}\n", i, i%7)
		}
		return b.String()
	}},
	{"requirements.txt", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "pkg-%d==2.%d.1\n", i, i%5)
		}
		return b.String()
	}},
	{"poetry.lock", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[[package]]\nname = \"pkg-%d\"\nversion = \"2.%d.1\"\ndescription = \"\"\noptional = false\npython-versions = \"*\"\nfiles = []\n\n", i, i%5)
		}
		b.WriteString("[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.10\"\ncontent-hash = \"00\"\n")
		return b.String()
	}},
	{"Cargo.lock", func(n int) string {
		var b strings.Builder
		b.WriteString("version = 3\n")
		for i := range n {
			fmt.Fprintf(&b, "\n[[package]]\nname = \"pkg-%d\"\nversion = \"0.%d.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n", i, i%7)
		}
		return b.String()
	}},
	{"go.mod", func(n int) string {
		var b strings.Builder
		b.WriteString("module example.invalid/bench\n\ngo 1.22\n\nrequire (\n")
		for i := range n {
			fmt.Fprintf(&b, "\texample.invalid/pkg%d v1.%d.0\n", i, i%7)
		}
		b.WriteString(")\n")
		return b.String()
	}},
	{"Gemfile.lock", func(n int) string {
		var b strings.Builder
		b.WriteString("GEM\n  remote: https://rubygems.org/\n  specs:\n")
		for i := range n {
			fmt.Fprintf(&b, "    pkg-%d (1.%d.0)\n", i, i%7)
		}
		b.WriteString("\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n")
		for i := range n {
			fmt.Fprintf(&b, "  pkg-%d\n", i)
		}
		b.WriteString("\nBUNDLED WITH\n   2.5.0\n")
		return b.String()
	}},
	{"packages.lock.json", func(n int) string {
		var b strings.Builder
		b.WriteString("{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net8.0\": {")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "\n      \"Bench.Pkg%d\": {\n        \"type\": \"Transitive\",\n        \"resolved\": \"1.%d.0\",\n        \"contentHash\": \"AA==\"\n      }", i, i%7)
		}
		b.WriteString("\n    }\n  }\n}\n")
		return b.String()
	}},
	{"composer.lock", func(n int) string {
		var b strings.Builder
		b.WriteString("{\n    \"packages\": [")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "\n        {\n            \"name\": \"vendor/pkg-%d\",\n            \"version\": \"v1.%d.0\",\n            \"license\": [\"MIT\"]\n        }", i, i%7)
		}
		b.WriteString("\n    ],\n    \"packages-dev\": []\n}\n")
		return b.String()
	}},
}

// BenchmarkExtract extracts one large lockfile of each format: a format
// whose cost grows faster than its size shows up as a jump from n=500 to
// n=5000 well beyond 10x. Formats warden splits are also measured with
// scalibr alone on the whole file ("whole"), the reference the split path
// must agree with (TestSplitAgreesWithScalibr) and beat.
func BenchmarkExtract(b *testing.B) {
	ex, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range benchFormats {
		name := f.name[strings.LastIndexByte(f.name, '/')+1:]
		pl := ex.pluginFor(name, 0)
		modes := map[string]*Extractor{"": ex}
		if pl.split != nil {
			whole := *pl
			whole.split = nil
			modes["/whole"] = &Extractor{plugins: []plugin{whole}}
		}
		for _, n := range []int{500, 5000} {
			content := []byte(f.gen(n))
			want := n
			if name == "go.mod" {
				want++ // the go line: stdlib
			}
			for mode, e := range modes {
				b.Run(fmt.Sprintf("%s/n=%d%s", f.name, n, mode), func(b *testing.B) {
					b.SetBytes(int64(len(content)))
					b.ReportAllocs()
					for b.Loop() {
						file, err := e.Extract(context.Background(), nil, name, content, 0)
						if err != nil {
							b.Fatal(err)
						}
						if len(file.Packages) != want {
							b.Fatalf("%d packages, want %d", len(file.Packages), want)
						}
					}
				})
			}
		}
	}
}
