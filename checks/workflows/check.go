// Package workflows reviews GitHub Actions workflows
// (.github/workflows/*.yml) and action metadata (action.yml) for script
// injection, pull-request-target code execution, unpinned and compromised
// actions, over-broad token permissions and similar mistakes. Files are
// parsed with actionlint's parser only; nothing from the repository is run.
package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// Name is the check's name in reports and notes.
const Name = "workflows"

// RefResolver turns an action's tag or branch into the commit sha it points
// at, so a finding can suggest a pinned "uses:" line. The bot implements it
// with the GitHub API. It is only asked about names that pass GitHub's
// grammar (internal/ghname), but must still escape them; its errors are
// shown to the reader, so they must not carry a server's response.
type RefResolver interface {
	ResolveRef(ctx context.Context, owner, repo, ref string) (sha string, err error)
}

// Options configure the check. The zero value is usable.
type Options struct {
	// TrustedOwners are GitHub owners (case-insensitive) whose actions and
	// reusable workflows may be referenced by tag instead of commit sha,
	// and may receive `secrets: inherit`. Nil means {"actions", "github"};
	// an empty non-nil slice trusts nobody.
	TrustedOwners []string

	// Owner is the owner of the repository under review; its own actions
	// and reusable workflows count as first-party (trusted). Optional.
	Owner string

	// Resolver, when set, resolves unpinned refs so unpinned-action
	// findings carry a fix pinning the sha. Nil: remediation text only.
	// It is asked only about valid GitHub names, and about at most
	// MaxResolves distinct refs per run.
	Resolver RefResolver

	// MaxResolves bounds the distinct refs one run resolves (0 means
	// DefaultMaxResolves).
	MaxResolves int

	// Advisories, when set, is asked for advisories affecting each
	// referenced action version, in addition to the built-in list of
	// known-compromised actions. Nil: built-in list only.
	Advisories AdvisoryDB

	// DisabledRules lists rule IDs (e.g. "workflows/self-hosted-runner")
	// that are not run.
	DisabledRules []string
}

// Check is the workflows check. Create it with New.
type Check struct {
	opts      Options
	trusted   map[string]bool
	disabled  map[string]bool
	untrusted *untrustedMatcher
	rules     []rule
}

func (c *Check) maxResolves() int {
	if c.opts.MaxResolves > 0 {
		return c.opts.MaxResolves
	}
	return DefaultMaxResolves
}

// New returns the check configured by opts.
func New(opts Options) *Check {
	c := &Check{opts: opts, trusted: map[string]bool{}, disabled: map[string]bool{}, untrusted: newUntrustedMatcher()}
	owners := opts.TrustedOwners
	if owners == nil {
		owners = []string{"actions", "github"}
	}
	for _, o := range owners {
		c.trusted[strings.ToLower(strings.TrimSpace(o))] = true
	}
	if opts.Owner != "" {
		c.trusted[strings.ToLower(opts.Owner)] = true
	}
	for _, id := range opts.DisabledRules {
		c.disabled[id] = true
	}
	c.rules = allRules()
	return c
}

var _ checks.Check = (*Check)(nil)
var _ checks.RuleDocumenter = (*Check)(nil)

// Name implements checks.Check.
func (c *Check) Name() string { return Name }

// Category implements checks.Check.
func (c *Check) Category() checks.Category { return checks.CategoryWorkflows }

// Rules implements checks.RuleDocumenter.
func (c *Check) Rules() []checks.Rule {
	out := make([]checks.Rule, 0, len(c.rules))
	for _, r := range c.rules {
		out = append(out, r.Doc())
	}
	return out
}

// Run analyses every workflow and action metadata file among t.Paths.
func (c *Check) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	s := newScan(c, t)
	var out []checks.Finding
	for _, p := range t.Paths {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		kind, ok := classify(p)
		if !ok {
			continue
		}
		fs, err := c.runFile(ctx, s, p, kind)
		if err != nil {
			return out, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// runFile reads, parses and checks one file. Problems with the file itself
// become notes; only a cancelled context is an error. A panic while
// checking the file leaves it unscanned rather than ending the check.
func (c *Check) runFile(ctx context.Context, s *scan, p string, kind fileKind) (out []checks.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.target.AddNote(limit.PanicNote(Name, p, r))
			out, err = nil, nil
		}
	}()
	src, err := s.target.Head.ReadFile(ctx, p)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, checks.ErrNotFound) {
			return nil, nil
		}
		s.unscanned(p, fmt.Sprintf("not analysed: %v", err))
		return nil, nil
	}
	if t := s.target.MaxFileSize; t > 0 && int64(len(src)) > t {
		s.unscanned(p, "not analysed: file is over the size limit")
		return nil, nil
	}
	// GitHub reads the file as YAML whatever it holds; warden cannot tell
	// what it would make of bytes that look binary, so the file is not
	// passed over.
	if checks.LooksBinary(p, src) {
		s.unscanned(p, "not analysed: the file looks binary")
		return nil, nil
	}
	f, err := parseFile(p, kind, src)
	if over, ok := limit.As(err); ok {
		s.target.AddNote(over.Note(Name))
		return nil, nil
	}
	if err != nil {
		// A file warden cannot parse may still be one GitHub runs (its
		// parser is not warden's): it is not checked, and says so.
		s.unscanned(p, fmt.Sprintf("not analysed: %v", err))
		return nil, nil
	}
	for _, r := range c.rules {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		doc := r.Doc()
		if c.disabled[doc.ID] {
			continue
		}
		for _, fd := range r.Check(ctx, s, f) {
			out = append(out, completeFinding(fd, doc, f))
		}
	}
	if f.exprOver != nil {
		s.target.AddNote(f.exprOver.Note(Name))
	}
	return out, nil
}

// completeFinding fills what every finding of a rule shares.
func completeFinding(fd checks.Finding, doc checks.Rule, f *file) checks.Finding {
	fd.RuleID = doc.ID
	fd.Category = checks.CategoryWorkflows
	fd.Path = f.Path
	if fd.Severity == 0 {
		fd.Severity = doc.Severity
	}
	if fd.Remediation == "" {
		fd.Remediation = doc.Remediation
	}
	if fd.References == nil {
		fd.References = doc.References
	}
	if fd.EndLine < fd.StartLine {
		fd.EndLine = fd.StartLine
	}
	return fd
}
