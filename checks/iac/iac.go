// Package iac is warden's infrastructure-as-code check: Dockerfiles,
// Kubernetes manifests, Terraform, and end-of-life runtimes in them, in
// go.mod and in actions/setup-* steps. Each file kind has its own
// sub-package; this one picks files, reads them through the target's tree
// and turns parse problems into notes.
package iac

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/dockerfile"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/kube"
	"github.com/wardenbot/warden/checks/iac/terraform"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// Name is the check's name in reports and notes.
const Name = "iac"

// Options configure the IaC check. The zero value enables every rule with
// the shipped end-of-life table.
type Options struct {
	// DisabledRules are rule IDs (iac/docker-image-not-pinned) never reported.
	DisabledRules []string
	// DisableEOL turns off iac/eol-runtime everywhere.
	DisableEOL bool
	// EOL replaces the shipped end-of-life table (see eol.Parse); nil uses
	// eol.Default().
	EOL *eol.Table
	// Now is the date end-of-life is judged at; zero means the time of Run.
	Now time.Time
}

// Check implements checks.Check and checks.RuleDocumenter.
type Check struct {
	opts     Options
	disabled map[string]bool
}

var (
	_ checks.Check          = (*Check)(nil)
	_ checks.RuleDocumenter = (*Check)(nil)
)

// New builds the check.
func New(opts Options) *Check {
	c := &Check{opts: opts, disabled: map[string]bool{}}
	for _, id := range opts.DisabledRules {
		c.disabled[strings.TrimSpace(id)] = true
	}
	if opts.DisableEOL {
		c.disabled[eol.RuleID] = true
	}
	if c.opts.EOL == nil {
		c.opts.EOL = eol.Default()
	}
	return c
}

func (c *Check) Name() string              { return Name }
func (c *Check) Category() checks.Category { return checks.CategoryIaC }

// Rules documents every IaC rule.
func (c *Check) Rules() []checks.Rule {
	var all []checks.Rule
	for _, rs := range [][]checks.Rule{dockerfile.Rules(), kube.Rules(), terraform.Rules(), eol.Rules()} {
		all = append(all, rs...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Run scans the target's paths.
func (c *Check) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	now := c.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var out []checks.Finding
	tfDirs := map[string]bool{}
	for _, p := range t.Paths {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		kind := classify(p)
		if kind == kindTerraform {
			tfDirs[path.Dir(p)] = true
			continue
		}
		if kind == kindNone {
			continue
		}
		content, err := t.Head.ReadFile(ctx, p)
		if err != nil {
			if errors.Is(err, checks.ErrNotFound) || errors.Is(err, checks.ErrTooLarge) {
				continue
			}
			return out, fmt.Errorf("iac: read %s: %w", p, err)
		}
		// BuildKit reads a Dockerfile as text whatever bytes it holds, so
		// nothing in it may make warden skip it as binary.
		if kind != kindDockerfile && checks.LooksBinary(p, content) {
			continue
		}
		fs, err := c.scanFileRecovering(ctx, t, kind, p, content, now)
		if over, ok := limit.As(err); ok {
			t.AddNote(over.Note(Name))
		} else if err != nil {
			t.AddNote(checks.Note{Check: Name, Path: p, Message: noteFor(err)})
		}
		out = append(out, fs...)
	}
	fs, err := c.scanTerraform(ctx, t, tfDirs, now)
	out = append(out, fs...)
	if err != nil {
		return out, err
	}
	return c.filter(out), nil
}

// scanFileRecovering is scanFile where a panic leaves this one file
// unscanned instead of failing the whole check.
func (c *Check) scanFileRecovering(ctx context.Context, t *checks.Target, kind fileKind, p string, content []byte, now time.Time) (fs []checks.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.AddNote(limit.PanicNote(Name, p, r))
			fs, err = nil, nil
		}
	}()
	return c.scanFile(ctx, kind, p, content, now)
}

func (c *Check) scanFile(ctx context.Context, kind fileKind, p string, content []byte, now time.Time) ([]checks.Finding, error) {
	table := c.opts.EOL
	switch kind {
	case kindDockerfile:
		return dockerfile.Scan(ctx, p, content, dockerfile.Options{EOL: table, Now: now})
	case kindYAML:
		var out []checks.Finding
		if isWorkflow(p) {
			out = append(out, scanWorkflow(p, content, table, now)...)
		}
		if kube.IsCandidate(p, content) || kube.IsHelmTemplate(p, content) {
			fs, err := kube.Scan(ctx, p, content, kube.Options{EOL: table, Now: now})
			return append(out, fs...), err
		}
		return out, nil
	case kindGoMod:
		return scanGoMod(p, content, table, now), nil
	}
	return nil, nil
}

func noteFor(err error) string {
	if errors.Is(err, kube.ErrHelmTemplate) {
		return kube.ErrHelmTemplate.Error()
	}
	return "not analysed: " + err.Error()
}

func (c *Check) filter(fs []checks.Finding) []checks.Finding {
	if len(c.disabled) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if !c.disabled[f.RuleID] {
			out = append(out, f)
		}
	}
	return out
}
