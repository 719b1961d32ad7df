// Package engine finds flows of untrusted data to dangerous calls, and
// dangerous constant patterns, in the language-neutral IR. Everything
// language-specific arrives through a Spec: sources, sinks and sanitisers
// are tables, with small functions only where a table cannot say it.
package engine

import "github.com/wardenbot/warden/checks/code/ir"

// Class is a kind of sink; sanitisers clear classes so that escaped HTML is
// still dangerous in a SQL query.
type Class uint16

const (
	SQL Class = 1 << iota
	Command
	Path
	URL
	HTML
	Redirect
	Code
	Deserialize
	Template
	Origin // a response header that says which origins may read it (CORS)

	All Class = 1<<16 - 1
)

// Source describes where untrusted data came from.
type Source struct {
	Desc string // how a reader recognises it: "`r.FormValue(\"id\")`"
	Line int
	// Weak marks local input (command-line arguments, environment, stdin),
	// which is reported at a lower severity than data from the network.
	Weak bool
	// AuditOnly marks a source reported only in audit mode: environment
	// variables, which the operator sets.
	AuditOnly bool
	// Unknown marks a value of unknown origin: a function parameter or a
	// name defined elsewhere. Flows from it are reported at low severity,
	// and only where the code builds a query or command from it.
	Unknown bool
	// Param marks an unknown-origin value that is a parameter of the
	// function analysed (what its callers pass), not a free name.
	Param bool
	// Safe lists sink classes this source cannot harm (the request's own
	// path as a redirect target).
	Safe Class
}

// Sink is a call whose arguments must not carry untrusted data.
type Sink struct {
	Rule  string // rule name without the "code/" prefix
	Class Class
	// Callees are qualified names ("subprocess.run", "os/exec.Command") or
	// "*.method" for a method on any receiver.
	Callees []string
	// Args are the positional arguments checked; nil checks them all.
	Args []int
	// Keywords are keyword arguments (Python) or option keys checked too.
	Keywords []string
	// When, if set, must hold for the call to be a sink (shell=True).
	When func(f *ir.File, fn *ir.Function, call *ir.Expr) bool
	// Arg, if set, picks the checked argument expressions itself (the
	// program of exec.Command when no shell is involved).
	Arg func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr
	// HostFixed, for URL and redirect sinks: a value that starts with a
	// constant scheme and host (or a constant local path) is not reported.
	HostFixed bool
	// Program, for commands run without a shell: only a value whose
	// beginning is untrusted chooses the program.
	Program bool
	// Bypass marks a framework's explicit way around its own escaping
	// (React's dangerouslySetInnerHTML, Angular's bypassSecurityTrustHtml):
	// a parameter of unknown origin passed to it is reported in the default
	// mode too, since nothing after it escapes the value.
	Bypass bool
	// RequestOnly limits the sink to data from known request sources:
	// local input and values of unknown origin reach it only in audit
	// mode (a command-line tool passing its own arguments to git).
	RequestOnly bool
}

// PropertySink is an assignment target that must not receive untrusted
// data (element.innerHTML = …, location.href = …).
type PropertySink struct {
	Rule  string
	Class Class
	// Props are attribute names ("innerHTML"), qualified paths
	// ("location") or, for an assignment to x["Key"], "[key]" in lower
	// case (response["Access-Control-Allow-Origin"] = …).
	Props     []string
	HostFixed bool
}

// Sanitizer is a call whose result is safe for the given classes.
type Sanitizer struct {
	Callees []string
	Clears  Class
}

// Spec is what the engine needs to know about one language.
type Spec struct {
	Lang string
	// Source reports whether an expression (a name, member access, call or
	// index) yields untrusted data inside fn; nil when it does not.
	Source func(f *ir.File, fn *ir.Function, e *ir.Expr) *Source
	// ParamSources lists parameters that are untrusted on entry (route
	// parameters of a Flask or FastAPI handler).
	ParamSources func(f *ir.File, fn *ir.Function) map[string]*Source
	// ReturnSink, if set, says whether values returned by fn reach a sink
	// (a Flask view's return value is the HTML response).
	ReturnSink func(f *ir.File, fn *ir.Function) *Sink
	Sinks      []Sink
	Props      []PropertySink
	Sanitizers []Sanitizer
	// Validators are method or function names (last segment) whose use in
	// an if condition validates the names passed to them: HasPrefix,
	// startswith, includes, MatchString.
	Validators []string
	// Mutators are method names that store their arguments in the
	// receiver (append, push, WriteString).
	Mutators []string
	// CallResult, if set, computes a call's result itself when it returns
	// ok (fmt.Sprintf, whose %d verbs cannot carry text). args are the
	// taints of call.Args.
	CallResult func(f *ir.File, call *ir.Expr, args []Taint) (Taint, bool)
	// Cleans, if set, names the classes a call's result is safe for, judged
	// from its syntax: a replace that strips "../", a helper named
	// sanitizePath. Its receiver and arguments flow in otherwise.
	Cleans func(f *ir.File, call *ir.Expr) Class
	// UnknownParam, if set, says which parameters hold values of unknown
	// origin (strings, untyped values), seeded when a function is analysed
	// as an entry point.
	UnknownParam func(f *ir.File, fn *ir.Function, p ir.Param) bool
	// HTMLStrings reports untrusted data concatenated or formatted into a
	// string literal that contains HTML markup, wherever that string goes
	// (a Django context value, a Lambda response body).
	HTMLStrings bool
	// FreeNames treats names the file never defines (globals of other
	// modules, snippet variables) as values of unknown origin.
	FreeNames bool
	// Builtins are names the language defines without an import (str,
	// document); they are never free names.
	Builtins []string
	// Iterators are methods that call their function argument with the
	// receiver's elements (forEach, map): the callback's first parameter
	// carries the receiver's taint.
	Iterators []string
	// NoReturn are calls that never return (flask.abort, sys.exit,
	// log.Fatal): a branch that makes one leaves the function.
	NoReturn []string
	// Loggers are calls whose arguments go to a log, not a page: HTML
	// built right in their arguments is not reported.
	Loggers []string
	// SelfNames are receiver names that reach methods of the same file
	// (self, this, cls).
	SelfNames []string
}
