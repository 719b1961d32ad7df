package code

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/internal/limit"
)

var errBudget = engine.ErrBudget

// partialError is a syntax error in a file whose recovered parts were
// still analysed.
type partialError struct{ err error }

func (e partialError) Error() string { return e.err.Error() }
func (e partialError) Unwrap() error { return e.err }

// sinkWhat names what a sink class does, for messages.
var sinkWhat = map[engine.Class]string{
	engine.SQL: "the SQL query of", engine.Command: "the command run by", engine.Path: "the file path of",
	engine.URL: "the URL fetched by", engine.HTML: "HTML written by", engine.Redirect: "the redirect target of",
	engine.Code: "code evaluated by", engine.Deserialize: "data deserialised by", engine.Template: "the template compiled by",
	engine.Origin: "the allowed CORS origin set by",
}

// analyse parses one file and runs the taint engine and pattern rules.
// cut is set when code nested past the front end's limit was left out.
func (c *Check) analyse(ctx context.Context, ps *parsers, p string, src []byte, l *language) (fs []checks.Finding, cut *limit.Exceeded, err error) {
	f, err := l.parse(ctx, ps, p, src, c.opts.FileTimeout)
	if f == nil {
		return nil, nil, err
	}
	if f.Truncated != nil {
		cut = &limit.Exceeded{Path: p, Line: f.Truncated.Line, What: "code nested too deeply to analyse", Partial: true}
	}
	// A partial parse is analysed; the error becomes a note.
	var perr error
	if err != nil {
		perr = partialError{err}
	}
	hits, herr := l.engine.Analyze(ctx, f, engine.Options{MaxSteps: c.opts.MaxSteps, Audit: c.opts.Audit})
	phits, patErr := engine.RunPatterns(ctx, f, l.patterns)
	var out []checks.Finding
	for i := range hits {
		if c.wanted(&hits[i]) {
			out = append(out, c.taintFinding(f, l, &hits[i]))
		}
	}
	for i := range phits {
		out = append(out, patternFinding(f, &phits[i]))
	}
	test := isTestFile(p)
	kept := out[:0]
	for _, fd := range out {
		// Suppression markers (#nosec, warden:allow) are weighed by the
		// runner, which knows whether the change added them.
		if test && testOnlyRules[fd.RuleID] && !c.opts.Audit {
			continue
		}
		if test {
			fd.Severity = max(lower(fd.Severity), checks.SeverityLow) // test code does not ship
		}
		kept = append(kept, fd)
	}
	return kept, cut, errors.Join(perr, herr, patErr)
}

// wanted filters flows from local input: a command-line tool that opens
// the file or URL its user names is working as intended, so outside audit
// mode arguments and stdin only count for queries, commands and code, and
// the environment (set by the operator) not at all.
func (c *Check) wanted(h *engine.Hit) bool {
	if h.Src.AuditOnly && !c.opts.Audit {
		return false
	}
	if c.opts.Audit || !h.Src.Weak {
		return true
	}
	switch h.Class {
	case engine.Path, engine.URL, engine.HTML, engine.Redirect:
		return false
	}
	return true
}

func (c *Check) taintFinding(f *ir.File, l *language, h *engine.Hit) checks.Finding {
	doc := docByName[h.Rule]
	sev := doc.severity
	switch {
	case h.Src.Unknown:
		sev = checks.SeverityLow // a smell until a caller passes user input
	case h.Src.Weak:
		sev = lower(lower(sev)) // local input: the caller already runs code here
		sev = max(sev, checks.SeverityLow)
	}
	via := ""
	if len(h.Via) > 0 {
		chain := h.Via
		if len(chain) > 3 {
			chain = append(append([]string(nil), chain[:2]...), "…", chain[len(chain)-1])
		}
		via = " through " + strings.ReplaceAll(strings.Join(chain, "() → ")+"()", "…()", "…")
	}
	sink := clip(oneLine(h.SinkName), 50)
	if h.ArgDef != nil && h.Arg != nil && h.ArgDef.Pos.Line != h.Pos.Line && h.ArgDef.Pos.Line != h.Src.Line {
		via = fmt.Sprintf(" as `%s` (built on line %d)", clip(oneLine(f.Text(h.Arg.Pos)), 30), h.ArgDef.Pos.Line) + via
	}
	msg := fmt.Sprintf("%s (line %d) reaches %s `%s` (line %d)%s", h.Src.Desc, h.Src.Line, sinkWhat[h.Class], sink, h.Pos.Line, via)
	if h.Src.Unknown {
		msg = fmt.Sprintf("%s (line %d) is built into %s `%s` (line %d)%s; if it can ever hold user input this is injectable", h.Src.Desc, h.Src.Line, sinkWhat[h.Class], sink, h.Pos.Line, via)
	}
	if h.Rule == "argument-injection" {
		msg = fmt.Sprintf("%s (line %d) is passed to `%s` (line %d)%s where the program reads it as an option if it begins with \"-\"", h.Src.Desc, h.Src.Line, sink, h.Pos.Line, via)
	}
	if h.Markup {
		msg = fmt.Sprintf("%s (line %d) is built into HTML markup without escaping (line %d)%s", h.Src.Desc, h.Src.Line, h.Pos.Line, via)
	}
	if h.SinkName == "the response" {
		via = strings.Replace(via, " as `", " in `", 1) // "returned in `page` (built on line 7)"
		msg = fmt.Sprintf("%s (line %d) is returned as %s (line %d)%s", h.Src.Desc, h.Src.Line, "the HTML response", h.Pos.Line, via)
	}
	fd := checks.Finding{
		RuleID: "code/" + h.Rule, Category: checks.CategoryCode, Severity: sev, Path: f.Path,
		StartLine: h.Pos.Line, EndLine: h.Pos.Line, StartColumn: h.Pos.Col,
		Message: msg, Remediation: doc.remediation, References: []string{doc.cwe, cweURL(doc.cwe)},
		Key: fmt.Sprintf("%s|%s|%s|%s", fnName(h.Fn), sink, argText(f, h.Arg), h.Src.Desc),
	}
	if l.fix != nil {
		if e := l.fix(f, h); e != nil {
			fd.Fix = toFix(f, e, "use a parameterised form")
		}
	}
	return fd
}

func patternFinding(f *ir.File, h *engine.PatternHit) checks.Finding {
	doc := docByName[h.Rule]
	sev := doc.severity
	if h.Weaker {
		sev = max(lower(sev), checks.SeverityLow)
	}
	fd := checks.Finding{
		RuleID: "code/" + h.Rule, Category: checks.CategoryCode, Severity: sev, Path: f.Path,
		StartLine: h.Pos.Line, EndLine: h.Pos.Line, StartColumn: h.Pos.Col,
		Message: h.Message, Remediation: doc.remediation, References: []string{doc.cwe, cweURL(doc.cwe)},
		Key: h.Rule + "|" + oneLine(f.Text(h.Pos)),
	}
	if h.Fix != nil {
		fd.Fix = toFix(f, h.Fix, "")
	}
	return fd
}

func lower(s checks.Severity) checks.Severity {
	if s > checks.SeverityLow {
		return s - 1
	}
	return s
}

func fnName(fn *ir.Function) string {
	if fn == nil {
		return ""
	}
	return fn.Class + "." + fn.Name
}

func argText(f *ir.File, e *ir.Expr) string {
	if e == nil {
		return ""
	}
	return oneLine(f.Text(e.Pos))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// toFix turns a byte-range edit into whole replacement lines.
func toFix(f *ir.File, e *engine.Edit, desc string) *checks.Fix {
	p := e.Pos
	if p.Start < 0 || p.End > len(f.Src) || p.Start > p.End {
		return nil
	}
	lineStart := strings.LastIndexByte(string(f.Src[:p.Start]), '\n') + 1
	lineEnd := len(f.Src)
	if i := strings.IndexByte(string(f.Src[p.End:]), '\n'); i >= 0 {
		lineEnd = p.End + i
	}
	repl := string(f.Src[lineStart:p.Start]) + e.Text + string(f.Src[p.End:lineEnd])
	return &checks.Fix{StartLine: p.Line, EndLine: p.EndLine, Replacement: strings.TrimRight(repl, "\r"), Description: desc}
}
