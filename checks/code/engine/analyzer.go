package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// ErrBudget is returned when a file needs more analysis steps than allowed;
// the hits found so far are still returned.
var ErrBudget = errors.New("analysis step budget exhausted")

// Engine is a compiled Spec, safe for concurrent use.
type Engine struct {
	spec       *Spec
	sinks      *nameSet
	sanitizers *nameSet
	props      map[string][]int
	validators map[string]bool
	mutators   map[string]bool
	selfNames  map[string]bool
	loggers    map[string]bool
	iterators  map[string]bool
	noReturn   map[string]bool
}

// New compiles a spec.
func New(spec *Spec) *Engine {
	e := &Engine{spec: spec, sinks: newNameSet(), sanitizers: newNameSet(), props: map[string][]int{},
		validators: setOf(spec.Validators), mutators: setOf(spec.Mutators), selfNames: setOf(spec.SelfNames),
		loggers: setOf(spec.Loggers), iterators: setOf(spec.Iterators), noReturn: setOf(spec.NoReturn)}
	for i, s := range spec.Sinks {
		for _, c := range s.Callees {
			e.sinks.add(c, i)
		}
	}
	for i, s := range spec.Sanitizers {
		for _, c := range s.Callees {
			e.sanitizers.add(c, i)
		}
	}
	for i, p := range spec.Props {
		for _, name := range p.Props {
			e.props[name] = append(e.props[name], i)
		}
	}
	return e
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// Options tune one analysis.
type Options struct {
	// MaxSteps bounds the work; 0 means a default proportional to the
	// file size.
	MaxSteps int
	// Audit reports flows from values of unknown origin into every sink,
	// not only into queries and commands built by concatenation.
	Audit bool
}

// Analyze tracks untrusted data through every function of the file and
// returns the flows that reach a sink.
func (e *Engine) Analyze(ctx context.Context, f *ir.File, opts Options) ([]Hit, error) {
	maxSteps := opts.MaxSteps
	if maxSteps <= 0 {
		maxSteps = 200_000 + 200*len(f.Src)
	}
	a := &analyzer{Engine: e, f: f, ctx: ctx, budget: maxSteps, audit: opts.Audit,
		summaries: map[summaryKey]*summary{}, busy: map[*ir.Function]bool{}, seen: map[hitKey]int{},
		logged: map[*ir.Expr]bool{}}
	a.indexFuncs()
	if e.spec.FreeNames {
		a.defined = definedNames(f)
		for _, b := range e.spec.Builtins {
			a.defined[b] = true
		}
	}
	run := func(fn *ir.Function) {
		if fn == nil || a.err != nil {
			return
		}
		if err := ctx.Err(); err != nil {
			a.err = err
			return
		}
		fr := a.newFrame(fn, nil, nil)
		a.execBlock(fr, fn.Body)
		if fn == f.Module {
			a.moduleEnv, a.moduleDefs = fr.env, fr.defs
		}
	}
	run(f.Module)
	for _, fn := range f.Funcs {
		run(fn)
	}
	return dropMarkup(preferKnown(a.hits), a.logged, a.wrapped), a.err
}

type hitKey struct {
	rule    string
	line    int
	srcLine int
}

type analyzer struct {
	*Engine
	f      *ir.File
	ctx    context.Context
	budget int
	err    error

	byName    map[string]*ir.Function // unique top-level functions and methods by name
	summaries map[summaryKey]*summary
	busy      map[*ir.Function]bool
	hits      []Hit
	seen      map[hitKey]int // index into hits

	audit      bool
	logged     map[*ir.Expr]bool   // arguments of logging calls
	wrapped    []ir.Pos            // definitions built into a later HTML string
	moduleEnv  env                 // the top level's variables, seen from functions
	moduleDefs map[string]*ir.Expr // what the top level assigned them
	defined    map[string]bool     // names the file binds (FreeNames only)
}

func (a *analyzer) indexFuncs() {
	a.byName = map[string]*ir.Function{}
	dup := map[string]bool{}
	for _, fn := range a.f.Funcs {
		if fn.Name == "" {
			continue
		}
		if _, ok := a.byName[fn.Name]; ok {
			dup[fn.Name] = true
		}
		a.byName[fn.Name] = fn
	}
	for n := range dup {
		delete(a.byName, n) // ambiguous: better no summary than a wrong one
	}
}

// frame is one function being analysed.
type frame struct {
	fn  *ir.Function
	env env
	ret Taint
	// placeholder is set when computing a summary: the source standing for
	// the parameter under study. Hits from it are recorded in sum, not
	// reported.
	placeholder *Source
	sum         *summary
	exited      bool // the current block ended in return/raise
	// defs remembers each variable's last assigned expression, to see
	// whether a URL was built on a constant host.
	defs map[string]*ir.Expr
}

func (a *analyzer) newFrame(fn *ir.Function, closure env, sum *summary) *frame {
	fr := &frame{fn: fn, env: closure, sum: sum, defs: map[string]*ir.Expr{}}
	if fr.env == nil {
		fr.env = env{}
	}
	for _, p := range fn.Params {
		delete(fr.env, p.Name) // parameters shadow captured names
	}
	if sum == nil && closure == nil && a.spec.UnknownParam != nil {
		for _, p := range fn.Params {
			if p.Name != fn.Self && a.spec.UnknownParam(a.f, fn, p) {
				name, _, _ := strings.Cut(p.Name, "·") // a front end's rename of a shadowing name
				fr.env[p.Name] = Taint{Src: &Source{Desc: fmt.Sprintf("parameter `%s`", name), Line: p.Pos.Line, Unknown: true, Param: true}}
			}
		}
	}
	if a.spec.ParamSources != nil && sum == nil {
		for name, src := range a.spec.ParamSources(a.f, fn) {
			fr.env[name] = Taint{Src: src}
		}
	}
	return fr
}

// step charges one unit of work; false once the budget is spent.
func (a *analyzer) step() bool {
	if a.err != nil {
		return false
	}
	a.budget--
	if a.budget < 0 {
		a.err = ErrBudget
		return false
	}
	if a.budget&0x3ff == 0 && a.ctx.Err() != nil {
		a.err = a.ctx.Err()
		return false
	}
	return true
}

// report records a flow into a sink, or, while summarising a helper, notes
// that the helper's parameter reaches it.
// It returns false when the hit was dropped: a value of unknown origin
// where only known sources are reported, so another argument of the same
// call may still be checked.
func (a *analyzer) report(fr *frame, h Hit, t Taint) bool {
	h.Fn = fr.fn
	if fr.placeholder != nil && t.Src == fr.placeholder {
		h.Via = t.Via
		fr.sum.sinks = append(fr.sum.sinks, sumSink{hit: h, cleared: t.Cleared})
		return true
	}
	if fr.sum != nil {
		return true // real sources inside a helper are reported when it runs as an entry point
	}
	if h.RequestOnly && (t.Src.Weak || t.Src.Unknown) && !a.audit {
		return false
	}
	if t.Src.Unknown && !(h.Bypass && t.Src.Param) && !a.reportUnknown(fr, h) {
		return false
	}
	h.Src, h.Via = t.Src, t.Via
	k := hitKey{h.Rule, h.Pos.Line, t.Src.Line}
	if i, ok := a.seen[k]; ok {
		if a.hits[i].Markup && !h.Markup {
			a.hits[i] = h // the sink call says more than the string it got
		}
		return true
	}
	a.seen[k] = len(a.hits)
	a.hits = append(a.hits, h)
	return true
}

// checkReturn reports a returned value that is itself the response body
// (a Flask view returning a string), built in the return or in the
// variable it returns. Dicts and lists become JSON and are not HTML.
func (a *analyzer) checkReturn(fr *frame, s *ir.Stmt, r *ir.Expr, t Taint) {
	if a.spec.ReturnSink == nil || !t.Tainted() || !buildsString(r) && !buildsString(fr.resolve(r)) {
		return
	}
	if sk := a.spec.ReturnSink(a.f, fr.fn); sk != nil && t.reaches(sk.Class) {
		h := Hit{Rule: sk.Rule, Class: sk.Class, Arg: r, SinkName: "the response", Pos: s.Pos}
		if r.Kind == ir.Name {
			h.ArgDef = fr.defs[r.Name] // "(built on line N)"
		}
		a.report(fr, h, t)
	}
}

// buildsString reports a concatenation or formatting expression: the
// returned markup is assembled right there, not produced by a function
// that may escape or serialise it.
func buildsString(e *ir.Expr) bool {
	for e != nil && e.Kind == ir.Unary && e.Name == "()" {
		e = e.X
	}
	switch {
	case e == nil:
		return false
	case e.Kind == ir.Format:
		return true
	case e.Kind == ir.Binary && (e.Name == "+" || e.Name == "%"):
		return true
	case e.Kind == ir.Call && e.X != nil && e.X.Kind == ir.Attr && e.X.Name == "format":
		_, lit := ir.StringValue(e.X.X)
		return lit
	}
	return false
}

func (a *analyzer) isSelf(name string) bool { return a.selfNames[name] }
