package source

import (
	"context"
	"strings"
)

// Line diffs are computed on text a pull request author controls, so every
// step is bounded: the common start and end are cut off first (cheap, and
// most edits are local), the middle is split into lines only up to
// diffLimits.maxLines, and Myers' algorithm gives up past maxCost edits or
// maxWork steps. A diff that gives up reports every line of the new middle
// as added: more to review, never less.
type diffLimits struct {
	maxLines int // lines of old and new middle together
	maxCost  int // edits (Myers' D)
	maxWork  int // comparisons and bookkeeping steps
}

var defaultDiffLimits = diffLimits{maxLines: 400_000, maxCost: 2048, maxWork: 40_000_000}

type op uint8

const (
	opEqual op = iota
	opAdd
	opDelete
)

// edit is a run of n lines with the same fate.
type edit struct {
	op op
	n  int
}

// lineDiff is one file's line diff: the edits over the whole of both
// texts, the new text's middle split into lines (for the text of added
// lines), and whether the diff is exact or fell back.
type lineDiff struct {
	edits    []edit
	newMid   string // the new text between the common start and end
	newFirst int    // lines of the new text before newMid
	exact    bool
}

// diffText computes the line diff from old to new. It honours ctx.
func diffText(ctx context.Context, old, new string, lim diffLimits) lineDiff {
	p := commonPrefixLines(old, new)
	s := commonSuffixLines(old[p:], new[p:])
	oldMid, newMid := old[p:len(old)-s], new[p:len(new)-s]
	d := lineDiff{newMid: newMid, newFirst: strings.Count(new[:p], "\n"), exact: true}
	if n := countLines(new[:p]); n > 0 {
		d.edits = append(d.edits, edit{opEqual, n})
	}
	oldN, newN := countLines(oldMid), countLines(newMid)
	var mid []edit
	if oldN > 0 && newN > 0 && oldN+newN <= lim.maxLines {
		a, b := splitLines(oldMid), splitLines(newMid)
		ia, ib := internLines(a, b)
		mid = myers(ctx, ia, ib, lim)
		if mid == nil {
			d.exact = false
		}
	}
	if mid == nil {
		mid = []edit{{opDelete, oldN}, {opAdd, newN}}
	}
	for _, e := range mid {
		if e.n > 0 {
			d.edits = append(d.edits, e)
		}
	}
	if n := countLines(new[len(new)-s:]); n > 0 {
		d.edits = append(d.edits, edit{opEqual, n})
	}
	return d
}

// commonPrefixLines is the length of the longest common prefix of a and b
// that ends with a line break (or is all of both).
func commonPrefixLines(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return i
	}
	return strings.LastIndexByte(a[:i], '\n') + 1
}

// commonSuffixLines is the length of the longest common suffix of a and b
// that starts at the beginning of a line in both.
func commonSuffixLines(a, b string) int {
	n := min(len(a), len(b))
	s := 0
	for s < n && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	lineStart := func(t string, at int) bool { return at == 0 || t[at-1] == '\n' }
	if lineStart(a, len(a)-s) && lineStart(b, len(b)-s) {
		return s
	}
	// Start the suffix after its first line break: both sides share it.
	suffix := a[len(a)-s:]
	j := strings.IndexByte(suffix, '\n')
	if j < 0 || j+1 >= len(suffix) {
		return 0
	}
	return s - (j + 1)
}

// splitLines splits text into lines without their '\n'; a final line
// without one counts.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// internLines maps equal lines to equal numbers.
func internLines(a, b []string) ([]int32, []int32) {
	ids := make(map[string]int32, len(a))
	conv := func(ls []string) []int32 {
		out := make([]int32, len(ls))
		for i, l := range ls {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return conv(a), conv(b)
}

// myers is Myers' O(ND) shortest edit script from a to b, or nil when it
// would take more than lim.maxCost edits or lim.maxWork steps, or ctx ends.
// It keeps the frontier of every round to walk back (O(D²) memory, which
// maxCost bounds).
func myers(ctx context.Context, a, b []int32, lim diffLimits) []edit {
	n, m := len(a), len(b)
	maxD := min(n+m, lim.maxCost)
	off := maxD + 1
	v := make([]int32, 2*maxD+3)
	var trace [][]int32 // trace[d]: v[-d-1 .. d+1] before round d
	work := 0
	for d := 0; d <= maxD; d++ {
		if d%32 == 0 && ctx.Err() != nil {
			return nil
		}
		trace = append(trace, append([]int32(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = int(v[off+k+1])
			} else {
				x = int(v[off+k-1]) + 1
			}
			y := x - k
			from := x
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			work += x - from + 1
			v[off+k] = int32(x)
			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
		if work > lim.maxWork {
			return nil
		}
	}
	return nil
}

// backtrack turns Myers' frontiers into edits, oldest first.
func backtrack(trace [][]int32, x, y int) []edit {
	var rev []edit
	push := func(o op, n int) {
		if n <= 0 {
			return
		}
		if k := len(rev); k > 0 && rev[k-1].op == o {
			rev[k-1].n += n
			return
		}
		rev = append(rev, edit{o, n})
	}
	for d := len(trace) - 1; d > 0; d-- {
		v := trace[d] // index i is diagonal i-d-1
		at := func(k int) int { return int(v[k+d+1]) }
		k := x - y
		var prevK int
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1 // came down: a line of b added
		} else {
			prevK = k - 1 // came right: a line of a deleted
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		midX := prevX
		if prevK == k-1 {
			midX = prevX + 1
		}
		push(opEqual, x-midX)
		if prevK == k+1 {
			push(opAdd, 1)
		} else {
			push(opDelete, 1)
		}
		x, y = prevX, prevY
	}
	push(opEqual, x)
	out := make([]edit, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		if k := len(out); k > 0 && out[k-1].op == rev[i].op {
			out[k-1].n += rev[i].n
			continue
		}
		out = append(out, rev[i])
	}
	return out
}

// countLines is the number of lines in s; a final line without '\n' counts.
func countLines(s string) int {
	if s == "" {
		return 0
	}
	n := strings.Count(s, "\n")
	if !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}
