package iac_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac"
	"github.com/wardenbot/warden/checks/source"
)

// BenchmarkRepo2000 scans a generated repository of 2,000 files: the
// webapp fixtures copied into 2000/4 directories (Dockerfile, manifest,
// two Terraform files), and reports files per second.
func BenchmarkRepo2000(b *testing.B) {
	dir := b.TempDir()
	srcs := map[string]string{
		"Dockerfile": "testdata/cases/webapp/Dockerfile", "deploy.yaml": "testdata/cases/webapp/deploy/app.yaml",
		"s3.tf": "testdata/cases/webapp/infra/s3.tf", "other.tf": "testdata/cases/webapp/infra/other.tf",
	}
	contents := map[string][]byte{}
	for name, p := range srcs {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		contents[name] = data
	}
	files := 0
	for i := 0; files < 2000; i++ {
		d := filepath.Join(dir, fmt.Sprintf("svc%04d", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		for name, data := range contents {
			if err := os.WriteFile(filepath.Join(d, name), data, 0o644); err != nil {
				b.Fatal(err)
			}
			files++
		}
	}
	tree, err := source.Dir(dir)
	if err != nil {
		b.Fatal(err)
	}
	c := iac.New(iac.Options{Now: evalDate})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
		if err != nil || len(rep.Errors) > 0 || len(rep.Findings) == 0 {
			b.Fatalf("run: %v %v", err, rep.Errors)
		}
	}
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
}
