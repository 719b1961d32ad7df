// Package terraform finds misconfigurations in Terraform (*.tf) for AWS,
// Google Cloud and Azure. It parses HCL with hclsyntax and evaluates only
// literals, variable defaults and locals: nothing is downloaded or run, and
// a value it cannot resolve is unknown, never a violation.
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
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
)

// Options configure the Terraform rules.
type Options struct {
	// EOL is the end-of-life table for Lambda runtimes; nil disables
	// iac/eol-runtime for Terraform.
	EOL *eol.Table
	// Now is the date end-of-life is judged at; zero means time.Now().
	Now time.Time
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

// ScanModule scans the .tf files of one directory and returns the findings
// located in the files listed in report (all files when report is nil),
// plus the files that did not parse.
func ScanModule(ctx context.Context, files []File, report map[string]bool, opts Options) ([]checks.Finding, []*ParseError) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	m := &module{resources: map[string][]*resource{}, opts: opts, report: report}
	var perrs []*ParseError
	for _, f := range files {
		file, diags := hclsyntax.ParseConfig(f.Content, f.Path, hcl.InitialPos)
		if diags.HasErrors() {
			perrs = append(perrs, &ParseError{Path: f.Path, Err: diags.Error()})
			if file == nil {
				continue
			}
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		m.files = append(m.files, &parsedFile{path: f.Path, lines: strings.Split(string(f.Content), "\n"), body: body})
	}
	m.index()
	m.ctx = m.evalContext()
	for _, typ := range m.types() {
		if ctx.Err() != nil {
			break
		}
		for _, r := range m.resources[typ] {
			if m.report == nil || m.report[r.file.path] {
				m.check(r)
			}
		}
	}
	return m.out, perrs
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
	var localAttrs []*hclsyntax.Attribute
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			switch {
			case b.Type == "variable" && len(b.Labels) == 1:
				v := cty.DynamicVal
				if d, ok := b.Body.Attributes["default"]; ok {
					if val, diags := d.Expr.Value(nil); !diags.HasErrors() {
						v = val
					}
				}
				vars[b.Labels[0]] = v
			case b.Type == "locals":
				for _, a := range b.Body.Attributes {
					localAttrs = append(localAttrs, a)
				}
			}
		}
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars), "local": cty.EmptyObjectVal},
		Functions: functions(),
	}
	locals := map[string]cty.Value{}
	for _, a := range localAttrs {
		locals[a.Name] = cty.DynamicVal
	}
	// Locals may refer to each other; a few passes settle realistic chains.
	for pass := 0; pass < 4; pass++ {
		ctx.Variables["local"] = cty.ObjectVal(locals)
		next := make(map[string]cty.Value, len(locals))
		for _, a := range localAttrs {
			next[a.Name] = m.value(ctx, a.Expr)
		}
		locals = next
	}
	ctx.Variables["local"] = cty.ObjectVal(locals)
	return ctx
}

func functions() map[string]function.Function {
	return map[string]function.Function{
		"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"concat": stdlib.ConcatFunc, "merge": stdlib.MergeFunc, "flatten": stdlib.FlattenFunc,
		"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "format": stdlib.FormatFunc,
		"join": stdlib.JoinFunc, "coalesce": stdlib.CoalesceFunc, "tostring": identity, "tolist": identity, "toset": identity,
		"distinct": stdlib.DistinctFunc,
	}
}

var identity = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// value evaluates an expression with every root it references that the
// context lacks (aws_s3_bucket, data, each, count…) bound to unknown.
func (m *module) value(ctx *hcl.EvalContext, e hcl.Expression) (v cty.Value) {
	defer func() {
		if recover() != nil { // cty panics on some malformed conversions; unknown is the honest answer
			v = cty.DynamicVal
		}
	}()
	child := ctx.NewChild()
	child.Variables = map[string]cty.Value{}
	for _, t := range e.Variables() {
		root := t.RootName()
		if _, ok := ctx.Variables[root]; !ok {
			child.Variables[root] = cty.DynamicVal
		}
	}
	val, _ := e.Value(child) // diagnostics leave unknown parts, which is what we want
	return val
}

func (m *module) add(id string, r *resource, line int, sev checks.Severity, key string, fix *checks.Fix, format string, args ...any) {
	m.out = append(m.out, rules.Finding(id, rule.At{Path: r.file.path, Line: line, Key: r.typ + "." + r.name + "|" + key, Severity: sev, Fix: fix}, format, args...))
}

func (r *resource) addr() string { return r.typ + "." + r.name }

func (r *resource) line() int { return r.block.TypeRange.Start.Line }

func describe(r *resource) string { return fmt.Sprintf("%s %q", r.typ, r.name) }
