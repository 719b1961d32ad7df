// Package terraform finds misconfigurations in Terraform (*.tf) for AWS,
// Google Cloud and Azure. It parses HCL with hclsyntax and evaluates only
// literals, variable defaults and locals: nothing is downloaded or run, and
// a value it cannot resolve is unknown, never a violation. Parsing and
// evaluation are bounded (see MaxNesting and MaxEvalCost); what a bound
// cuts short is reported, never silently dropped.
package terraform

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// Options configure the Terraform rules.
type Options struct {
	// EOL is the end-of-life table for Lambda runtimes; nil disables
	// iac/eol-runtime for Terraform.
	EOL *eol.Table
	// Now is the date end-of-life is judged at; zero means time.Now().
	Now time.Time
	// EvalBudget is what evaluating the module may cost (see
	// MaxEvalCost); zero means MaxEvalCost and a negative budget allows
	// nothing. A caller scanning many modules passes what is left of its
	// own budget.
	EvalBudget int64
}

// File is one .tf file of a module.
type File struct {
	Path    string
	Content []byte
}

// resource is a resource or data block with where it came from.
type resource struct {
	typ, name string
	block     *hclsyntax.Block
	file      *parsedFile
}

type parsedFile struct {
	path  string
	lines []string
	body  *hclsyntax.Body
}

// module is the set of .tf files in one directory: Terraform's unit of
// evaluation, so an aws_s3_bucket_versioning in versioning.tf counts for
// the bucket in main.tf.
type module struct {
	files     []*parsedFile
	resources map[string][]*resource // by type, including "data.<type>"
	ctx       *hcl.EvalContext
	budget    *budget
	attrs     map[*hclsyntax.Attribute]cty.Value // evaluated attributes
	opts      Options
	report    map[string]bool // paths findings may be reported in
	out       []checks.Finding
}

// ParseError is a .tf file hclsyntax rejected; other files of the module
// are still scanned.
type ParseError struct {
	Path string
	Err  string
}

func (e *ParseError) Error() string { return e.Path + ": " + e.Err }

// Result is what scanning one module found, and what it could not check.
type Result struct {
	Findings []checks.Finding
	// ParseErrors are files with syntax errors; what parsed of them was
	// still analysed.
	ParseErrors []*ParseError
	// Unscanned are the parts a budget kept from being analysed: a file
	// nested too deeply to parse, or values too costly to evaluate.
	Unscanned []*limit.Exceeded
	// EvalCost is what evaluation spent of Options.EvalBudget.
	EvalCost int64
}

// ScanModule scans the .tf files of one directory and returns the findings
// located in the files listed in report (all files when report is nil),
// the files that did not parse and the parts a budget cut short.
func ScanModule(ctx context.Context, files []File, report map[string]bool, opts Options) (res Result) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.EvalBudget == 0 {
		opts.EvalBudget = MaxEvalCost
	}
	m := &module{resources: map[string][]*resource{}, opts: opts, report: report, budget: newBudget(ctx, opts.EvalBudget), attrs: map[*hclsyntax.Attribute]cty.Value{}}
	defer func() { res.EvalCost = max(opts.EvalBudget, 0) - m.budget.left }()
	for _, f := range files {
		if ctx.Err() != nil {
			return res
		}
		if over := checkNesting(f.Content, f.Path); over != nil {
			res.Unscanned = append(res.Unscanned, over)
			continue
		}
		file, diags := hclsyntax.ParseConfig(f.Content, f.Path, hcl.InitialPos)
		if diags.HasErrors() {
			res.ParseErrors = append(res.ParseErrors, &ParseError{Path: f.Path, Err: diags.Error()})
			if file == nil {
				continue
			}
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		guardBody(body, m.budget)
		m.files = append(m.files, &parsedFile{path: f.Path, lines: strings.Split(string(f.Content), "\n"), body: body})
	}
	m.index()
	m.ctx = m.evalContext()
	for _, typ := range m.types() {
		for _, r := range m.resources[typ] {
			if ctx.Err() != nil {
				return res
			}
			if m.report == nil || m.report[r.file.path] {
				m.check(r)
			}
		}
	}
	res.Findings = m.out
	if m.budget.over != nil {
		res.Unscanned = append(res.Unscanned, m.budget.over)
	}
	return res
}

func (m *module) index() {
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			switch {
			case b.Type == "resource" && len(b.Labels) == 2:
				m.resources[b.Labels[0]] = append(m.resources[b.Labels[0]], &resource{typ: b.Labels[0], name: b.Labels[1], block: b, file: f})
			case b.Type == "data" && len(b.Labels) == 2:
				t := "data." + b.Labels[0]
				m.resources[t] = append(m.resources[t], &resource{typ: t, name: b.Labels[1], block: b, file: f})
			}
		}
	}
}

func (m *module) types() []string {
	ts := make([]string, 0, len(m.resources))
	for t := range m.resources {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// evalContext resolves var.* to declared defaults and local.* to locals
// built from them; everything else (resources, data, modules, count, each)
// is unknown.
func (m *module) evalContext() *hcl.EvalContext {
	vars := map[string]cty.Value{}
	locals := map[string]*hclsyntax.Attribute{}
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			switch {
			case b.Type == "variable" && len(b.Labels) == 1:
				v := cty.DynamicVal
				if d, ok := b.Body.Attributes["default"]; ok {
					// A default is a literal: no references, no functions.
					if val, diags := m.eval(&hcl.EvalContext{}, d.Expr); !diags.HasErrors() {
						v = val
					}
				}
				vars[b.Labels[0]] = v
			case b.Type == "locals":
				for name, a := range b.Body.Attributes {
					locals[name] = a
				}
			}
		}
	}
	fns := m.budget.functions()
	local := m.evalLocals(cty.ObjectVal(vars), fns, locals)
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars), "local": cty.ObjectVal(local)},
		Functions: fns,
	}
}

// evalLocals evaluates each local once, after the locals it refers to, in
// a context holding just those; a local on a cycle is unknown.
func (m *module) evalLocals(vars cty.Value, fns map[string]function.Function, locals map[string]*hclsyntax.Attribute) map[string]cty.Value {
	deps := make(map[string][]string, len(locals))
	waiting := make(map[string]int, len(locals)) // unevaluated locals each one refers to
	users := map[string][]string{}
	names := make([]string, 0, len(locals))
	for name, a := range locals {
		names = append(names, name)
		seen := map[string]bool{}
		for _, t := range a.Expr.Variables() {
			dep := localName(t)
			if _, isLocal := locals[dep]; !isLocal || seen[dep] {
				continue
			}
			seen[dep] = true
			deps[name] = append(deps[name], dep)
			waiting[name]++
			users[dep] = append(users[dep], name)
		}
	}
	sort.Strings(names) // a deterministic order, for the budget's sake
	var ready []string
	for _, name := range names {
		if waiting[name] == 0 {
			ready = append(ready, name)
		}
	}
	values := make(map[string]cty.Value, len(locals))
	for len(ready) > 0 {
		name := ready[0]
		ready = ready[1:]
		scope := make(map[string]cty.Value, len(deps[name]))
		for _, dep := range deps[name] {
			scope[dep] = values[dep]
		}
		ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": vars, "local": cty.ObjectVal(scope)}, Functions: fns}
		values[name] = m.value(ctx, locals[name].Expr)
		for _, u := range users[name] {
			if waiting[u]--; waiting[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	for _, name := range names {
		if _, done := values[name]; !done {
			values[name] = cty.DynamicVal
		}
	}
	return values
}

// localName is the name a traversal local.NAME… refers to, or "".
func localName(t hcl.Traversal) string {
	if t.RootName() != "local" || len(t) < 2 {
		return ""
	}
	if a, ok := t[1].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// value evaluates an attribute's expression with every root it references
// that the context lacks (aws_s3_bucket, data, each, count…) bound to
// unknown. What the budget cannot pay for is unknown too.
func (m *module) value(ctx *hcl.EvalContext, e hcl.Expression) cty.Value {
	v, _ := m.eval(ctx, e) // diagnostics leave unknown parts, which is what we want
	return v
}

func (m *module) eval(ctx *hcl.EvalContext, e hcl.Expression) (v cty.Value, diags hcl.Diagnostics) {
	defer func() {
		if recover() != nil { // cty panics on some malformed conversions; unknown is the honest answer
			v, diags = cty.DynamicVal, nil
		}
	}()
	b := m.budget
	if b.stopped() {
		return cty.DynamicVal, nil
	}
	child := ctx.NewChild()
	child.Variables = map[string]cty.Value{}
	for _, t := range e.Variables() {
		root := t.RootName()
		if _, ok := ctx.Variables[root]; !ok {
			child.Variables[root] = cty.DynamicVal
		}
	}
	b.at = e.Range()
	v, diags = e.Value(child)
	if !b.admit(v, e.Range()) { // the rules read all of it
		return cty.DynamicVal, diags
	}
	return v, diags
}

func (m *module) add(id string, r *resource, line int, sev checks.Severity, key string, fix *checks.Fix, format string, args ...any) {
	m.out = append(m.out, rules.Finding(id, rule.At{Path: r.file.path, Line: line, Key: r.typ + "." + r.name + "|" + key, Severity: sev, Fix: fix}, format, args...))
}

func (r *resource) addr() string { return r.typ + "." + r.name }

func (r *resource) line() int { return r.block.TypeRange.Start.Line }

func describe(r *resource) string { return fmt.Sprintf("%s %q", r.typ, r.name) }
