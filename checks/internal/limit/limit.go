// Package limit is the shared vocabulary of the budgets warden's parsers
// and evaluators keep on untrusted input. A file a pull request adds can be
// small and still cost without bound to analyse (nesting that overflows a
// recursive parser, aliases that expand exponentially, a format width of a
// billion); such a file is cut off at a budget, and what the budget stopped
// is reported as not scanned, so the review blocks instead of passing a
// change it did not read.
package limit

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/wardenbot/warden/checks"
)

// Exceeded is part of a file left unanalysed because analysing it would
// have gone past a budget.
type Exceeded struct {
	Path string // the file; may be filled in by the caller
	Line int    // where the budget ran out; 0 when unknown
	// What says which budget and why, as a phrase: "nesting deeper than
	// 512 levels", "YAML aliases expand to more than 200000 nodes".
	What string
	// Partial is set when the rest of the file was still analysed and only
	// the part at Line is missing; otherwise the whole file was skipped.
	Partial bool
}

func (e *Exceeded) Error() string {
	s := e.What
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	if e.Path != "" {
		s = e.Path + ": " + s
	}
	return s
}

// As returns the Exceeded in err's chain, if any.
func As(err error) (*Exceeded, bool) {
	var e *Exceeded
	ok := errors.As(err, &e)
	return e, ok
}

// Note is the report's record of e for check: unscanned, so the review
// does not pass over what was not read.
func (e *Exceeded) Note(check string) checks.Note {
	prefix := "not analysed: "
	if e.Partial {
		prefix = "partly analysed: "
	}
	msg := prefix + e.What
	if e.Line > 0 {
		msg += fmt.Sprintf(" (line %d)", e.Line)
	}
	return checks.Note{Check: check, Path: e.Path, Message: msg, Unscanned: true}
}

// PanicNote records a panic recovered while check analysed the file at
// path: that file is unscanned, the rest of the check goes on. A runtime
// error's own words are kept, as they quote nothing of the file; any
// other panic value might, and is left out.
func PanicNote(check, path string, recovered any) checks.Note {
	msg := "not analysed: internal error"
	if re, ok := recovered.(runtime.Error); ok {
		msg += " (" + re.Error() + ")"
	}
	return checks.Note{Check: check, Path: path, Message: msg, Unscanned: true}
}
