package demo

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/checks/format"
)

// comment is one of warden's inline review comments, read back from the
// fake and taken apart for the terminal.
type comment struct {
	raw        githubtest.ReviewComment
	severity   string // "critical", "high", …
	category   string // "Secret", "Workflow", …
	rule       string
	id         string // W-xxxxxxxx
	message    string // Markdown
	fix        string // Markdown, without "**Fix:**"
	suggestion []string
	source     string // the commented line, from the diff hunk
	replies    []githubtest.ReviewComment
	resolved   bool
}

// parseComment reads the shape publish.commentBody writes; anything it does
// not recognise ends up in the message, so nothing is lost.
func parseComment(rc githubtest.ReviewComment) comment {
	c := comment{raw: rc, source: hunkLine(rc.DiffHunk)}
	lines := strings.Split(strings.ReplaceAll(rc.Body, "\r\n", "\n"), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "**") {
		head := lines[0]
		lines = lines[1:]
		if end := strings.Index(head[2:], "**"); end >= 0 {
			parts := strings.Split(head[2:2+end], " · ")
			if f := strings.Fields(parts[0]); len(f) > 0 {
				c.severity = strings.ToLower(f[len(f)-1])
			}
			if len(parts) > 1 {
				c.category = parts[1]
			}
			c.rule = strings.Trim(strings.TrimSpace(head[2+end+2:]), "` ")
		}
	}
	var para *string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			para = nil
		case strings.HasPrefix(t, "```"):
			fence := t[:run(t, 0, '`')]
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				c.suggestion = append(c.suggestion, lines[i])
			}
			para = nil
		case strings.HasPrefix(t, "<sub>"):
			if f := strings.Fields(strings.TrimPrefix(t, "<sub>")); len(f) > 0 {
				c.id = f[0]
			}
		case strings.HasPrefix(t, "<!--"):
		case strings.HasPrefix(t, "**Fix:**"):
			c.fix = strings.TrimSpace(strings.TrimPrefix(t, "**Fix:**"))
			para = &c.fix
		case para != nil:
			*para += " " + t
		case c.message == "":
			c.message = t
			para = &c.message
		}
	}
	return c
}

// hunkLine is the last line of a diff hunk — the line a comment sits on —
// without its +/space prefix.
func hunkLine(hunk string) string {
	hunk = strings.TrimRight(hunk, "\n")
	if i := strings.LastIndexByte(hunk, '\n'); i >= 0 {
		hunk = hunk[i+1:]
	}
	if strings.HasPrefix(hunk, "@@") {
		return ""
	}
	if hunk != "" && strings.ContainsRune("+- ", rune(hunk[0])) {
		hunk = hunk[1:]
	}
	return hunk
}

// threads gathers warden's top-level comments with their replies and
// thread state, ordered by path and line.
func threads(gh *githubtest.Server, repo string, pr int, bot string) []comment {
	all := gh.ReviewComments(repo, pr)
	resolved := map[int64]bool{}
	for _, th := range gh.ReviewThreads(repo, pr) {
		resolved[th.RootID] = th.Resolved
	}
	var out []comment
	byID := map[int64]int{}
	for _, rc := range all {
		if rc.InReplyTo == 0 && rc.User == bot {
			c := parseComment(rc)
			c.resolved = resolved[rc.ID]
			byID[rc.ID] = len(out)
			out = append(out, c)
		}
	}
	for _, rc := range all {
		if i, ok := byID[rc.InReplyTo]; ok && rc.InReplyTo != 0 {
			out[i].replies = append(out[i].replies, rc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].raw.Path != out[j].raw.Path {
			return out[i].raw.Path < out[j].raw.Path
		}
		return out[i].raw.Line < out[j].raw.Line
	})
	return out
}

// printComments shows inline comments as ux.md's terminal sketch: the file,
// then per comment its line, severity, rule and id, the source line it is
// anchored to, the message and the fix.
func (p painter) printComments(w io.Writer, cs []comment) {
	width := 1
	for _, c := range cs {
		width = max(width, len(fmt.Sprint(c.raw.Line)))
	}
	pad := strings.Repeat(" ", width+4)
	lastPath := ""
	for i, c := range cs {
		if c.raw.Path != lastPath {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, "  "+p.bold(format.Sanitize(c.raw.Path)))
			lastPath = c.raw.Path
		} else {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  %*d  %s  %s  %s\n", width, c.raw.Line, p.severity(c.severity), format.Sanitize(c.rule), p.dim(format.Sanitize(c.id)))
		if c.source != "" {
			fmt.Fprintf(w, "%s%s %s\n", pad, p.dim("│"), format.Sanitize(strings.TrimSpace(c.source)))
		}
		for _, l := range wrap(painter{}.inline(c.message), 88) {
			fmt.Fprintln(w, pad+l)
		}
		if c.fix != "" {
			for j, l := range wrap("Fix: "+painter{}.inline(c.fix), 88) {
				if j == 0 {
					l = p.bold("Fix:") + strings.TrimPrefix(l, "Fix:")
				}
				fmt.Fprintln(w, pad+l)
			}
		}
		if len(c.suggestion) > 0 {
			fmt.Fprintln(w, pad+p.dim("suggested change:"))
			for _, l := range c.suggestion {
				fmt.Fprintln(w, pad+"  "+p.paint(ansiGreen, "+ "+format.Sanitize(l)))
			}
		}
	}
}
