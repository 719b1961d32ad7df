package secrets

import (
	"context"
	"errors"
	"io"
	"strings"
)

// Files of any size are scanned in windows, so memory stays bounded and
// no file is too large to search: each window is scanWindow bytes, cut at
// a line break where one is near, and the next starts windowOverlap bytes
// before the cut, so a secret across the cut is seen whole in one of them.
// Each match belongs to the window it starts in before the cut.
const (
	scanWindow    = 1 << 20
	windowOverlap = 32 << 10
	// maxSnippetLine: longer lines (minified code) get no snippet, since
	// an excerpt could cut a secret and show part of it in clear.
	maxSnippetLine = 4 << 10
	smallRead      = 16 << 10
)

// windowMatch is a match placed in the whole stream: 0-based lines and
// 1-based columns of the stream, and the text of its first line when short.
type windowMatch struct {
	match
	lineText  string
	lineKnown bool
}

// scanStream scans everything r yields and returns the matches, each once.
// sizeHint, when positive, is about how much r holds.
func (rs *ruleSet) scanStream(ctx context.Context, r io.Reader, sizeHint int64, fr fragment) ([]windowMatch, error) {
	var out []windowMatch
	seen := map[[4]any]bool{}
	// Most files are small: start with a buffer of their size (or a small
	// one) and grow it to a window only for a stream that fills it.
	initial := smallRead
	if sizeHint > 0 {
		initial = int(min(sizeHint+1, scanWindow))
	}
	buf := make([]byte, 0, initial)
	line0, col0 := 0, 0 // where buf[0] is in the stream
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		if err == nil && cap(buf) < scanWindow {
			buf = append(make([]byte, 0, scanWindow), buf[:len(buf)+n]...)
			continue
		}
		buf = buf[:len(buf)+n]
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			return out, err
		}
		s := string(buf)
		tx := newText(s)
		next := len(s) // where the next window starts
		if !last {
			next = cutPoint(s)
		}
		for _, m := range rs.scan(ctx, tx, fr) {
			start := tx.lineStart(m.startLine) + max(m.startCol-1, 0)
			if !last && start >= next {
				continue // the next window holds it whole
			}
			wm := windowMatch{match: m}
			if m.startLine == 0 && wm.startCol > 0 {
				wm.startCol += col0
				if m.endLine == 0 {
					wm.endCol += col0
				}
			}
			if m.startLine < tx.lines() && col0 == 0 || m.startLine > 0 {
				if lt := tx.lineText(m.startLine); len(lt) <= maxSnippetLine {
					wm.lineText, wm.lineKnown = lt, true
				}
			}
			wm.startLine += line0
			wm.endLine += line0
			key := [4]any{m.rule, m.secret, wm.startLine, wm.startCol}
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, wm)
		}
		if last {
			return out, nil
		}
		// Move to the next window: count what is left behind.
		behind := s[:next]
		if k := strings.Count(behind, "\n"); k > 0 {
			line0 += k
			col0 = len(behind) - strings.LastIndexByte(behind, '\n') - 1
		} else {
			col0 += len(behind)
		}
		buf = append(buf[:0], buf[next:]...)
	}
}

// cutPoint is where the window after a full one starts: at the beginning
// of the line holding the overlap's start, or mid-line in a line longer
// than the overlap allows.
func cutPoint(s string) int {
	at := len(s) - windowOverlap
	if i := strings.LastIndexByte(s[:at], '\n'); i >= 0 && at-i < scanWindow/4 {
		return i + 1
	}
	return at
}
