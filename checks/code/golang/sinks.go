package golang

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// shells run their -c argument as a script.
var shells = set("sh", "bash", "zsh", "dash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/zsh",
	"/usr/bin/env", "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh")

// optionArgs picks the arguments of exec.Command(name, args...) that a
// fixed program with dangerous options (git, ssh, curl…) may read as
// options.
func optionArgs(skip int) func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	return func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
		var args []*ir.Expr
		for i := skip + 1; ir.Positional(call, i) != nil; i++ {
			args = append(args, ir.Positional(call, i))
		}
		return rulekit.OptionArgs(ir.Positional(call, skip), args)
	}
}

// allowOrigin picks the value w.Header().Set/Add and gin's c.Header give
// Access-Control-Allow-Origin.
func allowOrigin(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	return rulekit.HeaderValue(call, 0, "Access-Control-Allow-Origin")
}

// commandArgs picks what matters in exec.Command(name, args...): the script
// after `sh -c`, the code an interpreter runs, otherwise the program itself.
// Arguments to a fixed program are not injection (no shell parses them).
func commandArgs(skip int) func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	return func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
		prog := ir.Positional(call, skip)
		if prog == nil {
			return nil
		}
		if name, ok := ir.StringValue(prog); ok && rulekit.IsInterpreter(name) {
			// python3 -c code, node -e code, perl script.pl: what runs is
			// the code or script, not the interpreter.
			var rest []*ir.Expr
			for i := skip + 1; ir.Positional(call, i) != nil; i++ {
				rest = append(rest, ir.Positional(call, i))
			}
			if code := rulekit.InterpreterCode(rest); code != nil {
				return []*ir.Expr{code}
			}
			return nil
		}
		if name, ok := ir.StringValue(prog); ok && shells[name] {
			for i := skip + 1; ; i++ {
				a := ir.Positional(call, i)
				if a == nil {
					return nil
				}
				if v, ok := ir.StringValue(a); ok && (v == "-c" || v == "/c" || v == "/C" || v == "-Command") {
					var out []*ir.Expr
					for j := i + 1; ir.Positional(call, j) != nil; j++ {
						out = append(out, ir.Positional(call, j))
					}
					return out
				}
			}
		}
		return []*ir.Expr{prog}
	}
}

// writerArg: fmt.Fprintf(w, …) and io.WriteString(w, …) write HTML when w
// is the handler's http.ResponseWriter.
func toResponseWriter(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	w := ir.Positional(call, 0)
	return w != nil && w.Kind == ir.Name && paramKind(f, fn, w.Name) == fwWriter
}

func receiverIs(kinds ...framework) func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	return func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
		k := receiverKind(f, fn, call)
		for _, want := range kinds {
			if k == want {
				return true
			}
		}
		return false
	}
}

// redirectTarget picks the URL of a framework redirect: c.Redirect(code,
// url) in gin and echo, c.Redirect(url) in fiber.
func redirectTarget(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	switch receiverKind(f, fn, call) {
	case fwGin, fwEcho:
		return []*ir.Expr{ir.Positional(call, 1)}
	case fwFiber:
		return []*ir.Expr{ir.Positional(call, 0)}
	}
	return nil
}

var sinks = []engine.Sink{
	{Rule: "sql-injection", Class: engine.SQL, Arg: queryArg, When: notPrepared,
		Callees: []string{"*.Query", "*.QueryRow", "*.Exec", "*.Prepare", "*.Queryx", "*.QueryRowx", "*.MustExec", "*.Raw", "*.NamedExec",
			"*.NamedQuery", "*.QueryEx", "*.ExecEx", "*.QueryRowEx", "*.SendBatch"}},
	{Rule: "sql-injection", Class: engine.SQL, Args: []int{1},
		Callees: []string{"*.QueryContext", "*.QueryRowContext", "*.ExecContext", "*.PrepareContext", "*.QueryxContext", "*.MustExecContext", "*.Select", "*.Get"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			// sqlx's Select/Get(dest, query, …) only: two or more arguments
			// with a pointer first.
			if n := ir.Dotted(call.X); strings.HasSuffix(n, ".Get") || strings.HasSuffix(n, ".Select") {
				d := ir.Positional(call, 0)
				return d != nil && d.Kind == ir.Unary && d.Name == "&"
			}
			return true
		}},
	// gorm's string clauses are raw SQL: db.Order(userInput), db.Where("a = " + x).
	{Rule: "sql-injection", Class: engine.SQL, Args: []int{0}, Callees: []string{"*.Order", "*.Group", "*.Having", "*.Where", "*.Joins", "*.Pluck"}},
	{Rule: "command-injection", Class: engine.Command, Callees: []string{"os/exec.Command", "golang.org/x/sys/execabs.Command"}, Arg: commandArgs(0)},
	{Rule: "command-injection", Class: engine.Command, Callees: []string{"os/exec.CommandContext", "golang.org/x/sys/execabs.CommandContext"}, Arg: commandArgs(1)},
	{Rule: "argument-injection", Class: engine.Command, Callees: []string{"os/exec.Command", "golang.org/x/sys/execabs.Command"}, Arg: optionArgs(0), Program: true, RequestOnly: true},
	{Rule: "cors-reflected-origin", Class: engine.Origin, Callees: []string{"*.Set", "*.Add", "*.Header"}, Arg: allowOrigin},
	{Rule: "argument-injection", Class: engine.Command, Callees: []string{"os/exec.CommandContext", "golang.org/x/sys/execabs.CommandContext"}, Arg: optionArgs(1), Program: true, RequestOnly: true},
	{Rule: "command-injection", Class: engine.Command, Callees: []string{"syscall.Exec", "os.StartProcess", "syscall.ForkExec"}, Args: []int{0}},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{0},
		Callees: []string{"os.Open", "os.OpenFile", "os.ReadFile", "os.WriteFile", "os.Create", "os.Remove", "os.RemoveAll",
			"os.Mkdir", "os.MkdirAll", "os.ReadDir", "os.Rename", "os.Truncate", "io/ioutil.ReadFile", "io/ioutil.WriteFile", "io/ioutil.ReadDir",
			"os.DirFS"}},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{2}, Callees: []string{"net/http.ServeFile"}},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{0}, Callees: []string{"*.File", "*.SendFile", "*.Attachment", "*.FileAttachment"},
		When: receiverIs(fwGin, fwEcho, fwFiber)},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, HostFixed: true,
		Callees: []string{"net/http.Get", "net/http.Head", "net/http.Post", "net/http.PostForm", "net/http.DefaultClient.Get",
			"net/http.DefaultClient.Post", "net/http.DefaultClient.Head", "net.Dial", "net.DialTimeout"}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, HostFixed: true, Callees: []string{"*.Get", "*.Post", "*.Head", "*.PostForm"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			// An http.Client in a variable named like one: client.Get(url).
			r := ir.Root(call.X.X)
			return r != nil && call.X.X.Kind == ir.Name && strings.Contains(strings.ToLower(r.Name), "client")
		}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{1}, HostFixed: true, Callees: []string{"net/http.NewRequest"}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{2}, HostFixed: true, Callees: []string{"net/http.NewRequestWithContext"}},
	{Rule: "xss", Class: engine.HTML, Callees: []string{"fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString"}, When: toResponseWriter,
		Arg: func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr { return call.Args[1:] }},
	{Rule: "xss", Class: engine.HTML, Callees: []string{"*.Write", "*.WriteString"}, Args: []int{0}, When: receiverIs(fwWriter)},
	{Rule: "xss", Class: engine.HTML, Args: []int{0},
		Callees: []string{"html/template.HTML", "html/template.JS", "html/template.HTMLAttr", "html/template.URL", "html/template.JSStr", "html/template.CSS", "html/template.Srcset"}},
	{Rule: "xss", Class: engine.HTML, Callees: []string{"*.HTML"}, Args: []int{1}, When: receiverIs(fwEcho)},
	{Rule: "xss", Class: engine.HTML, Callees: []string{"*.Data"}, Args: []int{2}, When: receiverIs(fwGin)},
	{Rule: "open-redirect", Class: engine.Redirect, Args: []int{2}, HostFixed: true, Callees: []string{"net/http.Redirect"}},
	// Script interpreters embedded in Go programs: goja and otto run
	// JavaScript, yaegi runs Go.
	{Rule: "code-injection", Class: engine.Code, Args: []int{0},
		Callees: []string{"github.com/dop251/goja.New().RunString", "github.com/robertkrimen/otto.New().Run",
			"github.com/robertkrimen/otto.New().Eval", "github.com/traefik/yaegi/interp.New().Eval"}},
	{Rule: "code-injection", Class: engine.Code, Args: []int{1},
		Callees: []string{"github.com/dop251/goja.New().RunScript", "github.com/dop251/goja.Compile"}},
	{Rule: "template-injection", Class: engine.Template, Args: []int{0},
		Callees: []string{"text/template.New().Parse", "html/template.New().Parse", "*.New().Parse", "text/template.New().Funcs().Parse",
			"html/template.New().Funcs().Parse"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			return strings.Contains(f.Callee(call), "template")
		}},
	{Rule: "open-redirect", Class: engine.Redirect, HostFixed: true, Callees: []string{"*.Redirect"}, Arg: redirectTarget},
}

var sanitizers = []engine.Sanitizer{
	{Clears: engine.All, Callees: []string{"strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat",
		"strconv.ParseBool", "strconv.Itoa", "strconv.FormatInt", "github.com/google/uuid.Parse", "net/url.QueryEscape",
		"net/url.PathEscape", "len", "regexp.QuoteMeta", "github.com/microcosm-cc/bluemonday.UGCPolicy().Sanitize",
		// These return a byte count and an error, never the text they print.
		"fmt.Printf", "fmt.Print", "fmt.Println", "fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString"}},
	{Clears: engine.SQL, Callees: []string{"github.com/lib/pq.QuoteIdentifier", "github.com/lib/pq.QuoteLiteral",
		"github.com/jackc/pgx.Identifier().Sanitize"}},
	{Clears: engine.HTML, Callees: []string{"html.EscapeString", "html/template.HTMLEscapeString", "html/template.JSEscapeString",
		"text/template.HTMLEscapeString", "html/template.HTMLEscaper", "*.Sanitize", "encoding/json.Marshal"}},
	{Clears: engine.Path, Callees: []string{"path/filepath.Base", "path.Base"}},
	{Clears: engine.Command, Callees: []string{"github.com/alessio/shellescape.Quote"}},
}

// Spec is the Go language's table for the taint engine.
var Spec = &engine.Spec{
	Lang:       "go",
	Source:     source,
	Sinks:      sinks,
	Sanitizers: sanitizers,
	NoReturn: []string{"panic", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf",
		"runtime.Goexit"},
	Validators:  []string{"HasPrefix", "HasSuffix", "IsLocal", "MatchString", "Match", "Contains", "ContainsAny", "EqualFold", "ValidateName", "IsValid", "Valid"},
	Mutators:    []string{"WriteString", "Write", "WriteByte", "WriteRune", "Add", "Set"},
	CallResult:  callResult,
	HTMLStrings: true,
	UnknownParam: func(f *ir.File, fn *ir.Function, p ir.Param) bool {
		switch p.Type {
		case "string", "...string", "[]string", "[]byte", "any", "interface{}":
			return true
		}
		return false
	},
}

// notPrepared: stmt.Query(args…) on a prepared statement takes values, not
// SQL. Without type information the statement is recognised by its
// assignment from a Prepare call in the same function.
func notPrepared(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	recv := call.X.X
	if recv == nil || recv.Kind != ir.Name || fn == nil {
		return true
	}
	prepared := false
	var walk func(ss []*ir.Stmt)
	walk = func(ss []*ir.Stmt) {
		for _, s := range ss {
			if s.Kind == ir.Assign && len(s.Rhs) == 1 && s.Rhs[0].Kind == ir.Call && s.Rhs[0].X != nil && s.Rhs[0].X.Kind == ir.Attr {
				switch s.Rhs[0].X.Name {
				case "Prepare", "PrepareContext", "Preparex", "PreparexContext", "PrepareNamed", "Stmt", "StmtContext":
					if len(s.Lhs) > 0 && s.Lhs[0].Kind == ir.Name && s.Lhs[0].Name == recv.Name {
						prepared = true
					}
				}
			}
			walk(s.Body)
			walk(s.Else)
		}
	}
	walk(fn.Body)
	for _, p := range fn.Params {
		if p.Name == recv.Name && strings.HasSuffix(p.Type, ".Stmt") {
			prepared = true
		}
	}
	return !prepared
}

// queryArg picks the SQL text: the first argument, or the second when the
// first is a context (pgx's conn.Query(ctx, sql)).
func queryArg(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	first := ir.Positional(call, 0)
	if first == nil {
		return nil
	}
	if isContext(f, fn, first) {
		if second := ir.Positional(call, 1); second != nil {
			return []*ir.Expr{second}
		}
		return nil
	}
	return []*ir.Expr{first}
}

// isContext recognises a context argument: a parameter of type
// context.Context, a name like ctx, or a context.* call.
func isContext(f *ir.File, fn *ir.Function, e *ir.Expr) bool {
	switch e.Kind {
	case ir.Name:
		if strings.HasPrefix(strings.ToLower(e.Name), "ctx") || e.Name == "context" {
			return true
		}
		if fn != nil {
			for _, p := range fn.Params {
				if p.Name == e.Name && strings.HasSuffix(p.Type, "context.Context") {
					return true
				}
			}
		}
	case ir.Call:
		return strings.HasPrefix(f.Callee(e), "context.") || strings.HasSuffix(ir.Dotted(e.X), ".Context")
	}
	return false
}
