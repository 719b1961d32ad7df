package golang

import (
	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// printfFuncs take a format string first (Sprintf) or after a writer
// (Fprintf): offset is the format's argument index.
var printfFuncs = map[string]int{"fmt.Sprintf": 0, "fmt.Errorf": 0}

// callResult: only the arguments that a format prints as text (%s, %v,
// %q) carry taint; %d, %x, %f, %t, %c and the like print numbers.
func callResult(f *ir.File, call *ir.Expr, args []engine.Taint) (engine.Taint, bool) {
	name := f.Callee(call)
	if (name == "path.Clean" || name == "path/filepath.Clean") && len(args) == 1 && rooted(call.Args[0]) {
		// Cleaning a path rooted at "/" removes every "..": the result
		// stays under the root it is joined to.
		t := args[0]
		t.Cleared |= engine.Path
		return t, true
	}
	off, ok := printfFuncs[name]
	if !ok || len(call.Args) <= off {
		return engine.Taint{}, false
	}
	fs, ok := ir.StringValue(call.Args[off])
	if !ok {
		return engine.Taint{}, false
	}
	verbs, ok := printfVerbs(fs)
	if !ok {
		return engine.Taint{}, false
	}
	var t engine.Taint
	for i, v := range verbs {
		k := off + 1 + i
		if k >= len(args) {
			break
		}
		switch v {
		case 's', 'v', 'q', 'T', 'U':
			t = engine.Union(t, args[k])
		}
	}
	// Extra arguments beyond the verbs are printed too (%!(EXTRA …)).
	for k := off + 1 + len(verbs); k < len(args); k++ {
		t = engine.Union(t, args[k])
	}
	return t, true
}

// printfVerbs lists the verb letter of each formatting directive; ok is
// false for formats it cannot follow (argument indexes, * widths).
func printfVerbs(fs string) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(fs); i++ {
		if fs[i] != '%' {
			continue
		}
		i++
		for i < len(fs) && (fs[i] == '+' || fs[i] == '-' || fs[i] == '#' || fs[i] == ' ' || fs[i] == '0' || fs[i] == '.' || (fs[i] >= '1' && fs[i] <= '9')) {
			i++
		}
		if i >= len(fs) {
			return nil, false
		}
		switch fs[i] {
		case '%':
			continue
		case '[', '*':
			return nil, false
		}
		out = append(out, fs[i])
	}
	return out, true
}

// rooted reports "/" + x.
func rooted(e *ir.Expr) bool {
	if e.Kind != ir.Binary || e.Name != "+" {
		return false
	}
	s, ok := ir.StringValue(e.Args[0])
	return ok && s == "/"
}
