package bench

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/workflows"
)

// workflowTree is an in-memory repository for the benchmark.
type workflowTree map[string][]byte

func (m workflowTree) Files(context.Context) ([]checks.FileInfo, error) {
	out := make([]checks.FileInfo, 0, len(m))
	for p, c := range m {
		out = append(out, checks.FileInfo{Path: p, Size: int64(len(c))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (m workflowTree) ReadFile(_ context.Context, p string) ([]byte, error) {
	if c, ok := m[p]; ok {
		return c, nil
	}
	return nil, checks.ErrNotFound
}

// benchWorkflow is a realistic ~60-line workflow; i varies triggers and
// content so that every rule has work to do.
func benchWorkflow(i int) []byte {
	triggers := []string{"push", "pull_request", "pull_request_target", "issues", "workflow_run"}
	return fmt.Appendf(nil, `name: wf-%[1]d
on: [%[2]s]
env:
  TITLE: ${{ github.event.pull_request.title }}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install
        run: |
          npm ci
          echo "building ${{ github.event.pull_request.head.ref }} for job %[1]d"
          curl -fsSL https://example.com/install.sh | bash
      - uses: some-org/some-action@v%[3]d
      - uses: tj-actions/changed-files@v45
      - run: echo "${{ env.TITLE }}" && make test
      - uses: actions/upload-artifact@v4
        with:
          name: out-%[1]d
          path: .
  lint:
    runs-on: [self-hosted, linux]
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - name: Lint
        env:
          BODY: ${{ github.event.issue.body }}
        run: |
          printf '%%s\n' "$BODY" | wc -c
          go vet ./...
  call:
    uses: other-org/workflows/.github/workflows/reuse.yml@main
    secrets: inherit
`, i, triggers[i%len(triggers)], i%7+1)
}

// BenchmarkWorkflows500 scans a generated repository of 500 workflows.
func BenchmarkWorkflows500(b *testing.B) {
	tree := workflowTree{}
	var paths []string
	for i := range 500 {
		p := fmt.Sprintf(".github/workflows/wf-%03d.yml", i)
		tree[p] = benchWorkflow(i)
		paths = append(paths, p)
	}
	c := workflows.New(workflows.Options{})
	ctx := context.Background()
	b.ResetTimer()
	findings := 0
	for b.Loop() {
		fs, err := c.Run(ctx, &checks.Target{Head: tree, Paths: paths, MaxFileSize: 1 << 20})
		if err != nil {
			b.Fatal(err)
		}
		findings = len(fs)
	}
	b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(findings), "findings")
}
