package checks

import (
	"bytes"
	"context"
	"sort"
	"strings"
)

const maxSnippet = 240

// triage turns what the checks returned into the report's findings: it drops
// ignored paths and suppressed lines (reporting markers the change adds),
// fills snippets and fingerprints, decides which findings the change
// introduced, and sorts them.
func triage(ctx context.Context, t *Target, opts Options, in []Finding) []Finding {
	ignoredFP := map[string]bool{}
	for _, fp := range opts.IgnoreFingerprints {
		ignoredFP[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(fp), "W-"))] = true
	}
	kept := in[:0]
	for _, f := range in {
		if opts.Ignore.Match(f.Path) {
			continue
		}
		if f.EndLine < f.StartLine {
			f.EndLine = f.StartLine
		}
		kept = append(kept, f)
	}
	lines := readLines(ctx, t.Head, kept)
	var out, markers []Finding
	for _, f := range kept {
		// Lines of the head only make sense for findings that are in the
		// head; a secret from a commit that a later commit deleted carries
		// its own snippet, and its lines were all added by the change.
		inHead := f.Commit == "" || !f.Introduced
		line := func(n int) (string, bool) {
			s, ok := lines[f.Path][n]
			return s, ok && inHead
		}
		if text, ok := line(f.StartLine); ok {
			if f.Snippet == "" && f.Category != CategorySecrets {
				f.Snippet = clip(strings.TrimRight(text, " \t\r"), maxSnippet)
			}
			if f.Key == "" && f.Category != CategorySecrets {
				f.Key = text
			}
		}
		if f.Key == "" {
			f.Key = f.Message
		}
		if m, ok := findMarker(&f, line); ok {
			if markerFromBase(t.Diff, &f, m) {
				continue
			}
			// A base marker over a line the change rewrote silences
			// nothing; one the change wrote is reported too.
			if markerAdded(t.Diff, &f, m) {
				text, _ := line(m.line)
				markers = append(markers, suppressionAdded(&f, m, text))
			}
		}
		out = append(out, f)
	}
	out = append(out, markers...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.RuleID < b.RuleID
	})
	assignFingerprints(out)
	final := out[:0]
	for _, f := range out {
		if ignoredFP[f.Fingerprint] || ignoredFP[f.Fingerprint[:8]] {
			continue
		}
		f.New = isNew(t.Diff, &f)
		final = append(final, f)
	}
	return final
}

// isNew decides whether the change introduced a finding: always in a tree
// scan; in a diff scan when the check established it from the change's
// history, or when it sits on a line the change adds and the check did not
// establish that it predates the change.
func isNew(d *Diff, f *Finding) bool {
	if d == nil || f.Introduced {
		return true
	}
	if f.Baseline {
		return false
	}
	fc := d.File(f.Path)
	return fc != nil && fc.Added.Overlaps(f.StartLine, f.EndLine)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 { // keep UTF-8 sequences whole
		cut--
	}
	return s[:cut] + "…"
}

// readLines reads, from the head, the lines findings need for snippets,
// keys and suppression markers (each finding's lines and the one above),
// one pass over each file and nothing else kept.
func readLines(ctx context.Context, tree Tree, fs []Finding) map[string]map[int]string {
	want := map[string]map[int]bool{}
	for _, f := range fs {
		w := want[f.Path]
		if w == nil {
			w = map[int]bool{}
			want[f.Path] = w
		}
		for n := f.StartLine - 1; n <= min(f.EndLine, f.StartLine+maxMarkerSpan); n++ {
			w[n] = true
		}
	}
	out := make(map[string]map[int]string, len(want))
	for path, w := range want {
		b, err := tree.ReadFile(ctx, path)
		if err != nil || LooksBinary(path, b) {
			continue
		}
		got := map[int]string{}
		for n, rest := 1, b; len(rest) > 0 || n == 1; n++ {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if w[n] {
				got[n] = string(line)
			}
			if len(rest) == 0 {
				break
			}
		}
		out[path] = got
	}
	return out
}
