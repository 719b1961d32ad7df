package workflows

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// unpinnedAction finds third-party actions and reusable workflows referenced
// by a tag or branch, and docker images referenced without a digest. A tag
// can be moved to new code at any time by whoever controls the repository,
// as the tj-actions/changed-files compromise showed.
type unpinnedAction struct{}

func (unpinnedAction) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/unpinned-action",
		Title:    "Third-party action not pinned to a commit sha",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityMedium,
		Description: "A `uses:` reference to an action or reusable workflow outside the trusted owners (by default `actions` and " +
			"`github`, plus the repository's own owner) names a tag or branch, or a `docker://` image has no `@sha256:` digest. " +
			"Tags and branches are mutable: whoever controls that repository (or steals its maintainer's token) can point them " +
			"at new code, which then runs in your workflow with its token and secrets. Only a full 40-character commit sha is immutable.",
		Remediation: "Pin the reference to the full commit sha of the release you reviewed and keep the tag in a comment " +
			"(`owner/repo@<sha> # v1.2.3`); let Dependabot or Renovate update it. Pin docker images by digest.",
		HelpURI:    refThirdParty,
		References: []string{cwe829, cwe1395, refThirdParty},
	}
}

func (r unpinnedAction) Check(ctx context.Context, s *scan, f *file) []checks.Finding {
	var out []checks.Finding
	for _, j := range f.sortedJobs() {
		if j.WorkflowCall != nil && j.WorkflowCall.Uses != nil {
			if fd, ok := r.check(ctx, s, f, j.WorkflowCall.Uses, jobID(j), "reusable workflow"); ok {
				out = append(out, fd)
			}
		}
		for _, st := range j.Steps {
			if st == nil {
				continue
			}
			if a, ok := st.Exec.(*actionlint.ExecAction); ok && a.Uses != nil {
				if fd, ok := r.check(ctx, s, f, a.Uses, jobID(j), "action"); ok {
					out = append(out, fd)
				}
			}
		}
	}
	if f.DockerImage != nil {
		if fd, ok := r.check(ctx, s, f, f.DockerImage, "runs", "docker image"); ok {
			out = append(out, fd)
		}
	}
	return out
}

func (r unpinnedAction) check(ctx context.Context, s *scan, f *file, uses *actionlint.String, job, what string) (checks.Finding, bool) {
	ref, ok := parseUses(uses.Value)
	if !ok {
		if name, bare := refless(uses.Value); bare {
			p := posOf(uses.Pos)
			return checks.Finding{
				StartLine:   p.Line,
				StartColumn: p.Col,
				EndColumn:   p.Col + len(uses.Value) - 1,
				Message:     fmt.Sprintf("The %s `%s` names no ref at all, so it is not pinned to any version (and GitHub refuses to run a `uses:` without `@ref`).", what, name),
				Remediation: "Add `@<full commit sha>` of the release you reviewed, with the tag in a comment.",
				Key:         job + ": " + name,
			}, true
		}
		return checks.Finding{}, false
	}
	if ref.Kind == usesLocal || ref.Pinned() {
		return checks.Finding{}, false
	}
	if ref.Kind == usesRepo && s.check.trusted[ref.Owner] {
		return checks.Finding{}, false
	}
	p := posOf(uses.Pos)
	fd := checks.Finding{
		StartLine:   p.Line,
		StartColumn: p.Col,
		EndColumn:   p.Col + len(uses.Value) - 1,
		Key:         job + ": " + ref.Raw,
	}
	if ref.Kind == usesDocker {
		fd.Message = fmt.Sprintf("Docker image `%s` is referenced by a mutable tag, not an `@sha256:` digest, so its publisher can change what runs here.", ref.Image)
		fd.Remediation = "Reference the image by digest: `docker://image@sha256:<digest>` (keep the tag in a comment)."
		return fd, true
	}
	fd.Message = fmt.Sprintf("Third-party %s `%s` is pinned to `%s`, a mutable tag or branch, so whoever controls %s can change the code this workflow runs.", what, ref.Raw, ref.Ref, ref.Name())
	if s.check.opts.Resolver != nil {
		sha, err := s.resolve(ctx, ref.Owner, ref.Repo, ref.Ref)
		switch {
		case errors.Is(err, errNotAName):
			s.noteOnce("resolve:not-a-name", f.Path, fmt.Sprintf("`uses:` values that are not valid GitHub owner/repo@ref names (such as `%s`) were not looked up", clipRunes(ref.Raw, 100)))
		case errors.Is(err, errTooManyRefs):
			s.noteOnce("resolve:too-many", f.Path, fmt.Sprintf("more than %d distinct action refs: the rest were not resolved to commit shas, so their findings carry no pinning fix", s.check.maxResolves()))
		case err != nil:
			s.noteOnce("resolve:"+ref.Name()+"@"+ref.Ref, f.Path, fmt.Sprintf("could not resolve %s@%s to a commit sha: %v", ref.Name(), ref.Ref, err))
		default:
			if fix := pinFix(f, uses, sha, ref.Ref); fix != nil {
				fd.Fix = fix
				fd.Remediation = fmt.Sprintf("Pin `%s` to commit %s, which `%s` points at today, after reviewing that release.", ref.Name(), sha, ref.Ref)
			}
		}
	}
	return fd, true
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// pinFix rewrites the uses line to name@sha # ref, keeping any quotes. It
// gives up when something other than a comment follows the value.
func pinFix(f *file, uses *actionlint.String, sha, tag string) *checks.Fix {
	p := posOf(uses.Pos)
	text := f.line(p.Line)
	start := p.Col - 1
	if start < 0 || start >= len(text) {
		return nil
	}
	quote := ""
	if c := text[start]; c == '"' || c == '\'' {
		quote = string(c)
	}
	valueEnd := start + len(quote) + len(uses.Value) + len(quote)
	if valueEnd > len(text) || text[start+len(quote):valueEnd-len(quote)] != uses.Value {
		return nil
	}
	if rest := strings.TrimSpace(text[valueEnd:]); rest != "" && !strings.HasPrefix(rest, "#") {
		return nil
	}
	name := uses.Value[:strings.LastIndex(uses.Value, "@")]
	line := text[:start] + quote + name + "@" + sha + quote + " # " + tag
	return &checks.Fix{StartLine: p.Line, EndLine: p.Line, Replacement: line, Description: "Pin to the commit sha " + tag + " points at"}
}

var reflessUses = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+(/[^@\s]*)?$`)

// refless reports whether a uses value is owner/repo[/path] without any
// "@ref" (trusted owners included: there is nothing to trust).
func refless(v string) (string, bool) {
	v = strings.TrimSpace(v)
	return v, !strings.HasPrefix(v, "./") && reflessUses.MatchString(v)
}
