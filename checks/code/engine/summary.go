package engine

import (
	"github.com/wardenbot/warden/checks/code/ir"
)

// A summary says, for one parameter of a same-file helper, whether untrusted
// data passed there comes back out, and which sinks inside it reaches.
type summary struct {
	ret     bool
	cleared Class
	sinks   []sumSink
	own     Taint // for the intrinsic summary (param -1)
}

type sumSink struct {
	hit     Hit
	cleared Class
}

type summaryKey struct {
	fn    *ir.Function
	param int
}

// maxHelperDepth bounds how deep summaries nest (helper calling helper).
const maxHelperDepth = 4

// intrinsic is the taint a helper returns from sources of its own (a
// getter that reads r.FormValue), whatever its arguments carry.
func (a *analyzer) intrinsic(fn *ir.Function) Taint {
	key := summaryKey{fn, -1}
	if s, ok := a.summaries[key]; ok {
		return s.own
	}
	if a.busy[fn] || len(a.busy) >= maxHelperDepth {
		return Taint{}
	}
	a.busy[fn] = true
	defer delete(a.busy, fn)
	s := &summary{}
	fr := &frame{fn: fn, env: env{}, sum: s, defs: map[string]*ir.Expr{}}
	if a.spec.ParamSources != nil {
		for name, src := range a.spec.ParamSources(a.f, fn) {
			fr.env[name] = Taint{Src: src}
		}
	}
	a.execBlock(fr, fn.Body)
	if fr.ret.Tainted() && !fr.ret.Src.Unknown {
		s.own = fr.ret
		s.own.Via = append([]string{fn.Name}, fr.ret.Via...)
	}
	a.summaries[key] = s
	return s.own
}

// summarize analyses fn with only parameter i tainted.
func (a *analyzer) summarize(fn *ir.Function, i int) *summary {
	key := summaryKey{fn, i}
	if s, ok := a.summaries[key]; ok {
		return s
	}
	if a.busy[fn] || len(a.busy) >= maxHelperDepth {
		return &summary{} // recursion: assume nothing rather than loop
	}
	a.busy[fn] = true
	defer delete(a.busy, fn)

	s := &summary{}
	placeholder := &Source{Desc: fn.Params[i].Name}
	fr := &frame{fn: fn, env: env{fn.Params[i].Name: {Src: placeholder}}, sum: s, placeholder: placeholder, defs: map[string]*ir.Expr{}}
	a.execBlock(fr, fn.Body)
	if fr.ret.Src == placeholder {
		s.ret, s.cleared = true, fr.ret.Cleared
	}
	a.summaries[key] = s
	return s
}

// applySummary maps a helper call's tainted arguments through the helper's
// summaries: reporting the sinks inside it and returning its result.
func (a *analyzer) applySummary(fr *frame, call *ir.Expr, fn *ir.Function, args []Taint) Taint {
	offset := 0
	if len(fn.Params) > 0 && fn.Class != "" && (fn.Params[0].Name == "self" || fn.Params[0].Name == "cls") {
		offset = 1
	}
	result := a.intrinsic(fn)
	pos := 0
	for k, arg := range call.Args {
		t := args[k]
		pi := -1
		if arg.Kind == ir.KeyValue {
			for j, p := range fn.Params {
				if p.Name == arg.Name {
					pi = j
				}
			}
		} else {
			pi = pos + offset
			pos++
		}
		if !t.Tainted() || pi < 0 || pi >= len(fn.Params) {
			continue
		}
		s := a.summarize(fn, pi)
		via := append([]string{fn.Name}, t.Via...)
		for _, ss := range s.sinks {
			tt := t
			tt.Cleared |= ss.cleared
			if !tt.reaches(ss.hit.Class) {
				continue
			}
			tt.Via = append(via, ss.hit.Via...)
			h := ss.hit
			a.report(fr, h, tt)
		}
		if s.ret {
			r := t
			r.Cleared |= s.cleared
			r.Via = via
			result = union(result, r)
		}
	}
	return result
}
