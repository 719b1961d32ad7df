package workflows

import (
	"context"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// FuzzWorkflow feeds arbitrary bytes to the check as a workflow and as an
// action's metadata: it must not panic, and every finding and fix must
// point inside the file.
func FuzzWorkflow(f *testing.F) {
	f.Add([]byte("on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n"))
	f.Add([]byte("runs:\n  using: composite\n  steps:\n    - run: echo ${{ github.head_ref }}\n      shell: bash\n"))
	f.Add([]byte("on: push\njobs:\n  a:\n    uses: o/r/.github/workflows/x.yml@v1\n    secrets: inherit\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		c := New(Options{Resolver: fakeResolver{}})
		for _, path := range []string{".github/workflows/f.yml", "act/action.yml"} {
			tree := memTree{path: string(src)}
			rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
			if err != nil || len(rep.Errors) > 0 {
				t.Fatalf("run: %v %v", err, rep.Errors)
			}
			// What a budget stopped names the file; the check itself never
			// fails or panics, and a file it could not read is said so.
			for _, n := range rep.Notes {
				if n.Check == Name && (n.Path != path || n.Message == "") {
					t.Fatalf("note without its file: %+v", n)
				}
				if n.Unscanned && strings.Contains(n.Message, "internal error") {
					t.Fatalf("a rule panicked on %s: %s", path, n.Message)
				}
			}
			lines := strings.Count(string(src), "\n") + 1
			for _, fd := range rep.Findings {
				if err := fd.Validate(); err != nil {
					t.Fatalf("invalid finding: %v", err)
				}
				if fd.StartLine < 1 || fd.StartLine > lines || fd.EndLine > lines {
					t.Fatalf("%s at line %d-%d outside a %d-line file", fd.RuleID, fd.StartLine, fd.EndLine, lines)
				}
				if fx := fd.Fix; fx != nil && (fx.StartLine < 1 || fx.EndLine > lines || fx.EndLine < fx.StartLine) {
					t.Fatalf("%s fix %d-%d outside a %d-line file", fd.RuleID, fx.StartLine, fx.EndLine, lines)
				}
			}
		}
	})
}
