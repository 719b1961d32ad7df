package checks_test

import (
	"context"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/checkstest"
)

// memTree is an in-memory checks.Tree for tests.
type memTree = checkstest.Tree

// funcCheck adapts a function to checks.Check.
type funcCheck struct {
	name string
	run  func(ctx context.Context, t *checks.Target) ([]checks.Finding, error)
}

func (f funcCheck) Name() string              { return f.name }
func (f funcCheck) Category() checks.Category { return checks.CategoryCode }
func (f funcCheck) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	return f.run(ctx, t)
}
