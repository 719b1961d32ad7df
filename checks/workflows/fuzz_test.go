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
			target := &checks.Target{Head: tree, Paths: []string{path}, MaxFileSize: 1 << 20}
			findings, err := c.Run(context.Background(), target)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			lines := strings.Count(string(src), "\n") + 1
			for _, fd := range findings {
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
