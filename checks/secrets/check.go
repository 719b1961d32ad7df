package secrets

import (
	"context"
	"fmt"
	"regexp"
	"runtime"

	"github.com/wardenbot/warden/checks"
)

// Name is the check's name in reports and notes.
const Name = "secrets"

// Check finds committed secrets. It is safe for concurrent use.
type Check struct {
	rules      *ruleSet
	allowPaths *checks.PathMatcher
	allowRes   []*regexp.Regexp
	workers    int
}

var (
	_ checks.Check          = (*Check)(nil)
	_ checks.RuleDocumenter = (*Check)(nil)
)

// New validates opts and returns the check. The rule set is compiled once
// per process and shared.
func New(opts Options) (*Check, error) {
	rs, err := loadRuleSet()
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	allow, err := checks.NewPathMatcher(opts.AllowPaths)
	if err != nil {
		return nil, fmt.Errorf("secrets: allow_paths: %w", err)
	}
	c := &Check{rules: rs, allowPaths: allow, workers: opts.MaxWorkers}
	for i, expr := range opts.AllowRegexes {
		re, err := regexp.Compile(expr)
		if err != nil {
			// The expression is configuration, not a secret: safe to quote.
			return nil, fmt.Errorf("secrets: allow_regexes[%d] %q: %w", i, expr, err)
		}
		c.allowRes = append(c.allowRes, re)
	}
	if c.workers <= 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	return c, nil
}

func (c *Check) Name() string              { return Name }
func (c *Check) Category() checks.Category { return checks.CategorySecrets }

// Run scans every file of t.Paths; in a diff scan it also scans the added
// lines of every commit of the change.
func (c *Check) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	if t.Diff != nil {
		return c.runDiff(ctx, t)
	}
	files, err := c.scanFiles(ctx, t, scanPaths(t))
	if err != nil {
		return nil, err
	}
	var out []checks.Finding
	for _, ls := range files {
		out = append(out, treeFindings(ls)...)
	}
	return out, nil
}

// allowedSecret applies the user's allow_regexes and the rule's own
// acceptance test.
func (c *Check) allowedSecret(m match) bool {
	if m.rule.accept != nil && !m.rule.accept(m.secret) {
		return true
	}
	for _, re := range c.allowRes {
		if re.MatchString(m.secret) {
			return true
		}
	}
	return false
}

// treeFindings turns one file's matches into findings.
func treeFindings(ls []located) []checks.Finding {
	out := make([]checks.Finding, 0, len(ls))
	for _, l := range ls {
		out = append(out, toFinding(l, committedMessage(l), secretsOnLine(ls, l.line)))
	}
	return out
}

// secretsOnLine lists the secrets found on a line, so each snippet of that
// line masks all of them.
func secretsOnLine(ls []located, line int) []string {
	var out []string
	for _, l := range ls {
		if l.line == line {
			out = append(out, l.secret)
		}
	}
	return out
}
