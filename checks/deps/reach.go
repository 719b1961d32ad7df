package deps

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/osv"
)

// Go reachability: the Go vulnerability database names, for each affected
// package, the functions and methods that carry the flaw
// (affected[].ecosystem_specific.imports[].symbols). Warden parses the
// module's own non-test .go files, read from the tree and never built or
// run, and says whether any of them refers to one of those symbols. Only
// the module's code is read, not its dependencies': a symbol reached
// through another library counts as not reached, which is why a "not
// reachable" finding is still reported.

// maxGoFiles bounds the files parsed for one module; a larger module is
// not judged.
const maxGoFiles = 5000

// goImport is one vulnerable package of a record and its symbols:
// "Func" or "Type.Method".
type goImport struct {
	Path    string   `json:"path"`
	Symbols []string `json:"symbols"`
}

// goSymbols lists what the records say about the package: the vulnerable
// imports with symbols, and whether every advisory (an alias group) has
// some; one without leaves the verdict "not reachable" unsupported.
func goSymbols(p declared, vulns []*osv.Vuln) (imports []goImport, complete bool) {
	complete = true
	for _, g := range osv.GroupAliases(vulns) {
		found := false
		for _, r := range g.Records {
			for _, a := range r.Affected {
				if a.Package.Ecosystem != "Go" || a.Package.Name != p.Name || len(a.EcosystemSpecific) == 0 {
					continue
				}
				var es struct {
					Imports []goImport `json:"imports"`
				}
				if json.Unmarshal(a.EcosystemSpecific, &es) != nil {
					continue
				}
				for _, imp := range es.Imports {
					if imp.Path == "" || len(imp.Symbols) == 0 {
						complete = false // the whole package is affected: not judged
						continue
					}
					imports = append(imports, imp)
					found = true
				}
			}
		}
		if !found {
			complete = false
		}
	}
	return imports, complete
}

// goModule is the parsed non-test code of one module.
type goModule struct {
	files      []goFile
	imported   map[string]bool // import paths used by some file
	incomplete bool            // a file could not be read or parsed, or too many
}

type goFile struct {
	path string
	fset *token.FileSet
	ast  *ast.File
}

// goModules parses modules on demand, once per run.
type goModules struct {
	t    *checks.Target
	all  []checks.FileInfo
	err  error
	mods map[string]*goModule
}

func newGoModules(ctx context.Context, t *checks.Target) *goModules {
	all, err := t.Head.Files(ctx)
	return &goModules{t: t, all: all, err: err, mods: map[string]*goModule{}}
}

// module returns the code of the module whose go.mod is at goMod.
func (g *goModules) module(ctx context.Context, goMod string) *goModule {
	dir := path.Dir(goMod)
	if m, ok := g.mods[dir]; ok {
		return m
	}
	m := &goModule{imported: map[string]bool{}}
	g.mods[dir] = m
	if g.err != nil {
		m.incomplete = true
		return m
	}
	var nested []string // other modules inside this one
	for _, fi := range g.all {
		if d := path.Dir(fi.Path); path.Base(fi.Path) == "go.mod" && d != dir && within(dir, d) {
			nested = append(nested, d+"/")
		}
	}
	for _, fi := range g.all {
		if ctx.Err() != nil {
			m.incomplete = true
			return m
		}
		if !isModuleSource(dir, fi.Path, nested) {
			continue
		}
		if len(m.files) == maxGoFiles || (g.t.MaxFileSize > 0 && fi.Size > g.t.MaxFileSize) {
			m.incomplete = true
			continue
		}
		src, err := g.t.Head.ReadFile(ctx, fi.Path)
		if err != nil {
			m.incomplete = true
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, fi.Path, src, parser.SkipObjectResolution)
		if err != nil {
			m.incomplete = true
		}
		if f == nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, ok := importPath(imp); ok {
				m.imported[p] = true
			}
		}
		m.files = append(m.files, goFile{path: fi.Path, fset: fset, ast: f})
	}
	return m
}

func within(dir, p string) bool {
	return dir == "." || strings.HasPrefix(p+"/", dir+"/")
}

// isModuleSource: a non-test .go file of the module in dir, where the go
// command would look for packages (not vendor/, testdata/, dot or
// underscore directories, nor a nested module).
func isModuleSource(dir, p string, nested []string) bool {
	if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || !within(dir, p) {
		return false
	}
	for _, n := range nested {
		if strings.HasPrefix(p, n) {
			return false
		}
	}
	rel := p
	if dir != "." {
		rel = p[len(dir)+1:]
	}
	elems := strings.Split(rel, "/")
	for _, e := range elems[:len(elems)-1] {
		if e == "vendor" || e == "testdata" || strings.HasPrefix(e, ".") || strings.HasPrefix(e, "_") {
			return false
		}
	}
	base := elems[len(elems)-1]
	return !strings.HasPrefix(base, ".") && !strings.HasPrefix(base, "_")
}

func importPath(spec *ast.ImportSpec) (string, bool) {
	if spec.Path == nil || len(spec.Path.Value) < 2 {
		return "", false
	}
	p := strings.Trim(spec.Path.Value, "`\"")
	return p, p != ""
}

var versionElem = regexp.MustCompile(`^v[0-9]+$`)

// defaultNames guesses the name a package is imported under when the
// import gives none: go/parser alone cannot read the package clause of a
// dependency. The last path element, skipping a major version suffix
// (jwt/v4), without gopkg.in's ".vN", and without a "go-" prefix or "-go"
// suffix (go-sqlite3 declares sqlite3).
func defaultNames(importPath string) []string {
	elems := strings.Split(importPath, "/")
	last := elems[len(elems)-1]
	if versionElem.MatchString(last) && len(elems) > 1 {
		last = elems[len(elems)-2]
	}
	if i := strings.Index(last, ".v"); i > 0 && versionElem.MatchString(last[i+1:]) {
		last = last[:i]
	}
	names := []string{last}
	trimmed := strings.TrimSuffix(strings.TrimPrefix(last, "go-"), "-go")
	if trimmed != last && trimmed != "" {
		names = append(names, trimmed)
	}
	for i, n := range names {
		names[i] = strings.ReplaceAll(n, "-", "_")
	}
	return names
}

// reference is where the module's code refers to a vulnerable symbol.
type reference struct {
	symbol string // as shown: jwt.Parse, jwt.Parser.ParseUnverified
	path   string
	line   int
}

// find returns the first reference, in path and line order, to one of the
// import's symbols: pkg.Func through the file's name for the import (an
// alias included), Func in a file that dot-imports it, and — by method
// name, as a best effort since types are not checked — x.Method anywhere in
// the module once some file imports the package.
func (m *goModule) find(imp goImport) (reference, bool) {
	display := defaultNames(imp.Path)[0]
	funcs := map[string]string{}   // Func -> symbol
	methods := map[string]string{} // Method -> Type.Method
	for _, s := range imp.Symbols {
		if typ, meth, ok := strings.Cut(s, "."); ok && typ != "" && meth != "" {
			methods[meth] = s
		} else if s != "" {
			funcs[s] = s
		}
	}
	importedByModule := m.imported[imp.Path]
	for _, f := range m.files {
		names := map[string]bool{}
		dot := false
		others := map[string]bool{} // names of the file's other imports
		for _, spec := range f.ast.Imports {
			p, ok := importPath(spec)
			if !ok {
				continue
			}
			var local []string
			if spec.Name != nil {
				local = []string{spec.Name.Name}
			} else {
				local = defaultNames(p)
			}
			for _, n := range local {
				switch {
				case n == "_":
				case n == "." && p == imp.Path:
					dot = true
				case p == imp.Path:
					names[n] = true
				default:
					others[n] = true
				}
			}
		}
		if len(names) == 0 && !dot && !importedByModule {
			continue
		}
		var hit *reference
		at := func(pos token.Pos, sym string) {
			hit = &reference{symbol: display + "." + sym, path: f.path, line: f.fset.Position(pos).Line}
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			if hit != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && names[x.Name] {
					if s, ok := funcs[n.Sel.Name]; ok {
						at(n.Sel.Pos(), s)
						return false
					}
				}
				if s, ok := methods[n.Sel.Name]; ok && importedByModule {
					x, isIdent := n.X.(*ast.Ident)
					if !isIdent || (!others[x.Name] && !names[x.Name]) {
						at(n.Sel.Pos(), s)
						return false
					}
				}
				ast.Inspect(n.X, visit) // never the selector's own name
				return false
			case *ast.Ident:
				if s, ok := funcs[n.Name]; ok && dot {
					at(n.Pos(), s)
				}
			}
			return true
		}
		for _, d := range f.ast.Decls {
			ast.Inspect(d, visit)
			if hit != nil {
				return *hit, true
			}
		}
	}
	return reference{}, false
}

// reachability is the note appended to a Go finding's message, or "" when
// the records name no symbols or the module's code could not all be read.
func reachability(ctx context.Context, mods *goModules, p declared, vulns []*osv.Vuln) string {
	if p.Ecosystem != "Go" || path.Base(p.Path) != "go.mod" || mods == nil {
		return ""
	}
	imports, complete := goSymbols(p, vulns)
	if len(imports) == 0 {
		return ""
	}
	m := mods.module(ctx, p.Path)
	if len(m.files) == 0 {
		return "" // no code read: nothing to judge
	}
	var refs []reference
	for _, imp := range imports {
		if r, ok := m.find(imp); ok {
			refs = append(refs, r)
		}
	}
	if len(refs) > 0 {
		sort.Slice(refs, func(i, j int) bool {
			if refs[i].path != refs[j].path {
				return refs[i].path < refs[j].path
			}
			return refs[i].line < refs[j].line
		})
		return fmt.Sprintf("(reachable: %s called in %s:%d)", refs[0].symbol, refs[0].path, refs[0].line)
	}
	if !complete || m.incomplete {
		return ""
	}
	return "(not reachable from this module's code)"
}
