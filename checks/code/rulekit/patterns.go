package rulekit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// Calls flags every call of the listed functions; the map's values say
// what is wrong (a weak cipher, a deserialiser unsafe by design) and follow
// the call as written in the message.
func Calls(rule string, calls map[string]string) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		if msg, ok := Lookup(calls, f.Callee(e)); ok {
			return []engine.PatternHit{{Pos: e.Pos, Message: f.Text(e.X.Pos) + ": " + msg}}
		}
		return nil
	}}
}

// BadSetting describes a key or keyword argument that must not hold a value.
type BadSetting struct {
	Key     string // field, keyword or property name: "InsecureSkipVerify"
	Bad     func(v *ir.Expr) bool
	Message string
	// Fix is the text that replaces the value, "" when none is mechanical.
	Fix string
	// In, if set, limits keyword arguments to calls of these functions
	// (verify=False on requests.get, not on any call).
	In map[string]bool
	// Assign also matches `x.Key = value` and `Key = value` assignments.
	Assign bool
	// OnlyAssign matches assignments only, not keyword arguments.
	OnlyAssign bool
}

// Settings flags the bad settings in collections, keyword arguments and
// assignments.
func Settings(rule string, settings []BadSetting) engine.Pattern {
	byKey := map[string][]BadSetting{}
	for _, s := range settings {
		byKey[s.Key] = append(byKey[s.Key], s)
	}
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, st *ir.Stmt) []engine.PatternHit {
		var out []engine.PatternHit
		// mode: 0 any setting, 1 only settings limited to calls (In), 2
		// only settings valid anywhere.
		check := func(key string, v *ir.Expr, pos ir.Pos, callee string, assign bool, mode int) {
			for _, bs := range byKey[key] {
				if assign && !bs.Assign && !bs.OnlyAssign || !assign && bs.OnlyAssign {
					continue
				}
				if mode == 1 && bs.In == nil || mode == 2 && bs.In != nil {
					continue
				}
				if _, in := Lookup(bs.In, callee); bs.In != nil && !assign && !in {
					continue
				}
				if !bs.Bad(v) {
					continue
				}
				h := engine.PatternHit{Pos: pos, Message: bs.Message}
				if bs.Fix != "" {
					h.Fix = &engine.Edit{Pos: v.Pos, Text: bs.Fix}
				}
				out = append(out, h)
			}
		}
		switch e.Kind {
		case ir.Call:
			callee := f.Callee(e)
			for _, a := range e.Args {
				switch {
				case a.Kind == ir.KeyValue && a.X != nil:
					check(a.Name, a.X, a.Pos, callee, false, 0)
				case a.Kind == ir.Collection:
					// An options object: jwt.verify(t, k, {algorithms: […]}).
					for _, kv := range a.Args {
						if kv.Kind == ir.KeyValue && kv.X != nil {
							check(kv.Name, kv.X, kv.Pos, callee, false, 1)
						}
					}
				}
			}
		case ir.Collection:
			for _, a := range e.Args {
				if a.Kind == ir.KeyValue && a.X != nil {
					check(a.Name, a.X, a.Pos, "", false, 2)
				}
			}
		}
		if st != nil && st.Kind == ir.Assign && len(st.Lhs) == 1 && len(st.Rhs) == 1 && e == st.Lhs[0] {
			key := ""
			switch e.Kind {
			case ir.Attr:
				key = e.Name
			case ir.Name:
				key = e.Name
			case ir.Index:
				if len(e.Args) == 1 {
					key, _ = ir.StringValue(e.Args[0])
				}
			}
			if key != "" {
				check(key, st.Rhs[0], st.Pos, "", true, 0)
			}
		}
		return out
	}}
}

// Is returns a predicate matching a literal: true, false, a string or a number.
func Is(kind ir.ExprKind, value string) func(*ir.Expr) bool {
	return func(v *ir.Expr) bool {
		for v != nil && v.Kind == ir.Unary && v.Name == "()" {
			v = v.X
		}
		return v != nil && v.Kind == kind && v.Value == value
	}
}

// ModeCall says how a call uses a permission argument.
type ModeCall int

const (
	// Chmod sets the mode as given: o+w is world-writable.
	Chmod ModeCall = iota
	// CreateFile and CreateDir pass a mode the process umask narrows
	// (0666 and 0777 are the conventional defaults), so they are only
	// reported in audit mode, against gosec's limits of 0600 and 0750.
	CreateFile
	CreateDir
)

// FileModes flags permission arguments: world-writable modes set by
// chmod-style calls, and in audit mode (at the lower severity) creation
// modes above 0600 for files and 0750 for directories. calls maps a callee
// to how it uses the mode; at gives the mode's positional index, and
// keyword names the keyword or option key that may carry it instead.
func FileModes(rule string, calls map[string]ModeCall, at map[string]int, keyword string, audit bool) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		name := f.Callee(e)
		kind, ok := Lookup(calls, name)
		if !ok {
			return nil
		}
		i, _ := Lookup(at, name)
		mode := ResolveConst(f, ir.Positional(e, i))
		if mode != nil && mode.Kind == ir.Collection {
			mode = ir.Keyword(mode, keyword) // fs.writeFile(p, d, {mode: 0o666})
		}
		if mode == nil && keyword != "" {
			mode = ResolveConst(f, ir.Keyword(e, keyword))
		}
		v, text, ok := modeValue(mode)
		if !ok {
			return nil
		}
		if kind == Chmod && v&0o002 != 0 {
			return []engine.PatternHit{{Pos: e.Pos,
				Message: fmt.Sprintf("%s makes the file writable by every user on the machine (mode %s)", f.Text(e.X.Pos), text),
				Fix:     &engine.Edit{Pos: mode.Pos, Text: formatMode(text, v&^0o022)}}}
		}
		limit := int64(0o600)
		if kind == CreateDir {
			limit = 0o750
		}
		if audit && v&0o777 > limit {
			return []engine.PatternHit{{Pos: e.Pos, Weaker: true,
				Message: fmt.Sprintf("%s grants mode %s; unless the umask narrows it other users can read or write it (%04o or tighter is usual)", f.Text(e.X.Pos), text, limit)}}
		}
		return nil
	}}
}

// modeValue reads a permission literal: 0777, 0o777, "777" or 511.
func modeValue(e *ir.Expr) (int64, string, bool) {
	if e == nil {
		return 0, "", false
	}
	switch e.Kind {
	case ir.NumLit:
		t := strings.ReplaceAll(e.Value, "_", "")
		var v int64
		var err error
		switch {
		case strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0O"):
			v, err = strconv.ParseInt(t[2:], 8, 64)
		case len(t) > 1 && t[0] == '0' && t[1] != 'x' && t[1] != 'X':
			v, err = strconv.ParseInt(t[1:], 8, 64)
		default:
			v, err = strconv.ParseInt(t, 0, 64)
		}
		return v, e.Value, err == nil && v >= 0 && v <= 0o7777
	case ir.StrLit:
		v, err := strconv.ParseInt(e.Value, 8, 64)
		return v, strconv.Quote(e.Value), err == nil && v >= 0 && v <= 0o7777
	}
	return 0, "", false
}

// formatMode writes a mode in the notation the original used.
func formatMode(orig string, v int64) string {
	switch {
	case strings.HasPrefix(orig, "0o") || strings.HasPrefix(orig, "0O"):
		return fmt.Sprintf("%s%o", orig[:2], v)
	case strings.HasPrefix(orig, "\"") || strings.HasPrefix(orig, "'"):
		return fmt.Sprintf("%c%o%c", orig[0], v, orig[0])
	case strings.HasPrefix(orig, "0"):
		return fmt.Sprintf("0%o", v)
	}
	return strconv.FormatInt(v, 10)
}

// BindAll flags listeners bound to every interface ("0.0.0.0"). The map
// gives the address argument's index; keyword names a host keyword. In
// audit mode a port alone (":8080", all interfaces too) is flagged as well.
func BindAll(rule string, calls map[string]int, keyword string, audit bool) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		i, ok := Lookup(calls, f.Callee(e))
		if !ok {
			return nil
		}
		addr := ir.Positional(e, i)
		if addr != nil && addr.Kind == ir.Collection && len(addr.Args) > 0 {
			addr = addr.Args[0] // socket.bind(("0.0.0.0", 80))
		}
		if addr == nil && keyword != "" {
			addr = ir.Keyword(e, keyword)
		}
		v, ok := ir.StringValue(ResolveConst(f, addr))
		explicit := v == "0.0.0.0" || strings.HasPrefix(v, "0.0.0.0:") || v == "::" || strings.HasPrefix(v, "[::]:")
		portOnly := strings.HasPrefix(v, ":") && !strings.HasPrefix(v, "::")
		if !ok || !explicit && !(audit && portOnly) {
			return nil
		}
		h := engine.PatternHit{Pos: e.Pos, Message: fmt.Sprintf("%s listens on every network interface (%q)", f.Text(e.X.Pos), v)}
		// An admin, debug or metrics endpoint on all interfaces is the
		// real risk; a public server in a container usually must bind so.
		w := Words(f, e, fn, s)
		if !containsAny(w, []string{"admin", "debug", "pprof", "metric", "internal", "manage"}) {
			h.Weaker = true
		}
		return []engine.PatternHit{h}
	}}
}

// NoneAlgorithm matches the JWT "none" algorithm given as a string or in a
// list of accepted algorithms (any case).
func NoneAlgorithm(v *ir.Expr) bool {
	if s, ok := ir.StringValue(v); ok {
		return strings.EqualFold(s, "none")
	}
	if v != nil && v.Kind == ir.Collection {
		for _, a := range v.Args {
			if s, ok := ir.StringValue(a); ok && strings.EqualFold(s, "none") {
				return true
			}
		}
	}
	return false
}
