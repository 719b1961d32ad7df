package javascript

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/rulekit"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// sqlText is a query call's SQL: the first argument, or its sql option
// (mysql's conn.query({sql, values})).
func sqlText(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	a := ir.Positional(call, 0)
	if a != nil && a.Kind == ir.Collection && a.Name == "object" {
		a = ir.Keyword(a, "sql")
	}
	if a == nil {
		return nil
	}
	return []*ir.Expr{a}
}

// frameworkParams are handler parameters that hold framework objects.
var frameworkParams = set("req", "res", "request", "response", "ctx", "next", "reply", "event", "context", "callback", "cb", "done", "err", "error")

// onPage: a puppeteer, playwright or phantom page (or Runtime/Page of
// chrome-remote-interface).
func onPage(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	if call.X == nil || call.X.Kind != ir.Attr {
		return false
	}
	r := ir.Root(call.X.X)
	if r == nil {
		return false
	}
	n := strings.ToLower(r.Name)
	return strings.Contains(n, "page") || n == "runtime" || n == "browser" || n == "tab"
}

// onElement: a method of a jQuery or jqLite wrapper, $(…) or
// angular.element(…); a string given to it is parsed as HTML.
func onElement(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	if call.X == nil || call.X.Kind != ir.Attr || call.X.X == nil || call.X.X.Kind != ir.Call {
		return false
	}
	switch f.Callee(call.X.X) {
	case "angular.element", "$", "jQuery", "jquery":
		return true
	}
	return false
}

// responseRoots are the names handlers give the response object.
var responseRoots = set("res", "response", "reply", "resp")

func onResponse(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	if call.X == nil || call.X.Kind != ir.Attr {
		return false
	}
	r := ir.Root(call.X.X)
	return r != nil && (responseRoots[r.Name] || r.Name == "ctx")
}

// notObject: res.send({…}) and res.send([…]) produce JSON, not HTML.
func htmlBody(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	a := ir.Positional(call, 0)
	return onResponse(f, fn, call) && a != nil && a.Kind != ir.Collection
}

// redirectURL picks res.redirect(url) or res.redirect(status, url).
func redirectURL(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	if !onResponse(f, fn, call) {
		return nil
	}
	a := ir.Positional(call, 0)
	if a != nil && a.Kind == ir.NumLit {
		a = ir.Positional(call, 1)
	}
	if a == nil {
		return nil
	}
	return []*ir.Expr{a}
}

// sendFileWithoutRoot: res.sendFile(p, {root}) confines p to root.
func sendFileWithoutRoot(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	if !onResponse(f, fn, call) {
		return false
	}
	opts := ir.Positional(call, 1)
	return opts == nil || ir.Keyword(opts, "root") == nil
}

// spawnProgram: without {shell: true} only the program matters (or the
// script after a shell's -c); with it the arguments are a shell command
// line too.
func spawnProgram(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	out := []*ir.Expr{ir.Positional(call, 0)}
	if name, ok := ir.StringValue(out[0]); ok && rulekit.IsInterpreter(name) {
		// spawn("python3", ["-c", code]): the code runs, not the interpreter.
		if args := ir.Positional(call, 1); args != nil && args.Kind == ir.Collection && args.Name != "object" {
			if code := rulekit.InterpreterCode(rulekit.Flatten(args.Args)); code != nil {
				return []*ir.Expr{code}
			}
		}
		return nil
	}
	if args := ir.Positional(call, 1); args != nil && args.Kind == ir.Collection && rulekit.IsShell(out[0]) {
		if script, ok := rulekit.ShellScript(args.Args); ok {
			return script
		}
		return rulekit.Flatten(args.Args) // spawn("sh", [script])
	}
	for i := 1; i <= 2; i++ {
		if o := ir.Positional(call, i); o != nil && o.Kind == ir.Collection && o.Name == "object" && ir.Keyword(o, "shell") != nil && !ir.IsFalse(ir.Keyword(o, "shell")) {
			if args := ir.Positional(call, 1); args != nil && args != o {
				out = append(out, args)
			}
		}
	}
	if out[0] == nil {
		return nil
	}
	return out
}

// spawnOptions picks the arguments of spawn/execFile(prog, [args…]) that a
// fixed program with dangerous options (git, ssh, curl…) may read as
// options.
func spawnOptions(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	args := ir.Positional(call, 1)
	if args == nil || args.Kind != ir.Collection || args.Name == "object" {
		return nil
	}
	return rulekit.OptionArgs(ir.Positional(call, 0), args.Args)
}

// allowOrigin picks the value res.set/setHeader/header(…) and
// res.writeHead(status, {…}) give Access-Control-Allow-Origin.
func allowOrigin(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	i := 0
	if call.X != nil && call.X.Kind == ir.Attr && call.X.Name == "writeHead" {
		i = 1
	}
	return rulekit.HeaderValue(call, i, "Access-Control-Allow-Origin")
}

// denoCommand picks what chooses the command of Deno.run({cmd: [prog, …]})
// and new Deno.Command(prog, {args}): the program, or the script after a
// shell's -c.
func denoCommand(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	var prog *ir.Expr
	var args []*ir.Expr
	if f.Callee(call) == "Deno.run" {
		cmd := ir.Keyword(ir.Positional(call, 0), "cmd")
		if cmd == nil || cmd.Kind != ir.Collection || len(cmd.Args) == 0 {
			return nil
		}
		prog, args = cmd.Args[0], cmd.Args[1:]
	} else {
		prog = ir.Positional(call, 0)
		if a := ir.Keyword(ir.Positional(call, 1), "args"); a != nil && a.Kind == ir.Collection {
			args = a.Args
		}
	}
	if prog == nil {
		return nil
	}
	if rulekit.IsShell(prog) {
		if script, ok := rulekit.ShellScript(args); ok {
			return script
		}
	}
	return []*ir.Expr{prog}
}

// joinUnchecked: a path joined from untrusted input is reported where it
// is built (it usually goes on to a helper that opens it), unless the
// function checks a path (p.startsWith(root), path.relative(root, p)),
// the confinement idiom warden recommends.
// A join written straight into a file call (fs.readFile(path.join(…)))
// is left to that call, which names the sink better.
func joinUnchecked(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
	if fileCallBefore(f.Src[:max(0, min(call.Pos.Start, len(f.Src)))]) {
		return false
	}
	body := f.Text(fn.Pos)
	for _, check := range []string{"startsWith(", "indexOf(", "includes(", "relative(", "isValidPath", "isInside", ".test(", "match("} {
		if strings.Contains(body, check) {
			return false
		}
	}
	return true
}

// joinedParts: the first segment of a join is the base directory, which
// comes from configuration; the segments after it are what a caller picks.
func joinedParts(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
	if len(call.Args) > 1 {
		return call.Args[1:]
	}
	return call.Args
}

// fileCallBefore reports whether src ends in the opening of a file call's
// first argument: "fs.readFileSync(" or "res.sendFile(  ".
func fileCallBefore(src []byte) bool {
	t := strings.TrimRight(string(src[max(0, len(src)-80):]), " \t\r\n")
	if !strings.HasSuffix(t, "(") {
		return false
	}
	t = strings.TrimSuffix(t, "(")
	i := strings.LastIndexFunc(t, func(r rune) bool {
		return !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	return fileMethods[t[i+1:]]
}

var fileMethods = func() map[string]bool {
	m := set("sendFile", "download", "sendfile")
	for _, c := range fsPathCalls {
		m[c[strings.LastIndex(c, ".")+1:]] = true
	}
	return m
}()

var fsPathCalls = func() []string {
	var out []string
	for _, m := range []string{"readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync",
		"createReadStream", "createWriteStream", "unlink", "unlinkSync", "readdir", "readdirSync", "rm", "rmSync", "rmdir",
		"rmdirSync", "mkdir", "mkdirSync", "open", "openSync", "rename", "renameSync", "copyFile", "copyFileSync", "stat", "access"} {
		out = append(out, "fs."+m, "fs/promises."+m, "fs.promises."+m, "fs-extra."+m)
	}
	return out
}()

var sinks = []engine.Sink{
	{Rule: "sql-injection", Class: engine.SQL, Arg: sqlText,
		Callees: []string{"*.query", "*.raw", "*.whereRaw", "*.orWhereRaw", "*.havingRaw", "*.orderByRaw", "*.joinRaw", "*.groupByRaw",
			"*.$queryRawUnsafe", "*.$executeRawUnsafe", "*.execute", "*.prepare"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			// child_process.exec and RegExp exec are not SQL.
			n := f.Callee(call)
			return n != "child_process.exec" && !onResponse(f, fn, call)
		}},
	{Rule: "command-injection", Class: engine.Command, Args: []int{0},
		Callees: []string{"child_process.exec", "child_process.execSync", "shelljs.exec", "execa.command", "execa.commandSync"}},
	{Rule: "command-injection", Class: engine.Command, Arg: spawnProgram,
		Callees: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
			"child_process.fork", "execa", "execa.execa", "cross-spawn"}},
	{Rule: "argument-injection", Class: engine.Command, Arg: spawnOptions, Program: true, RequestOnly: true,
		Callees: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync",
			"execa", "execa.execa", "cross-spawn"}},
	{Rule: "command-injection", Class: engine.Command, Arg: denoCommand, Callees: []string{"Deno.run", "Deno.Command"}},
	{Rule: "cors-reflected-origin", Class: engine.Origin, Arg: allowOrigin,
		Callees: []string{"*.set", "*.setHeader", "*.header", "*.append", "*.writeHead"}},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{0}, Callees: fsPathCalls},
	{Rule: "path-traversal", Class: engine.Path, Args: []int{0}, Callees: []string{"*.sendFile", "*.download"}, When: sendFileWithoutRoot},
	{Rule: "path-traversal", Class: engine.Path, Callees: []string{"path.join", "path.resolve", "path.posix.join", "path.posix.resolve"},
		When: joinUnchecked, Arg: joinedParts},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, Keywords: []string{"url"}, HostFixed: true,
		Callees: []string{"fetch", "node-fetch", "axios", "axios.get", "axios.post", "axios.put", "axios.delete", "axios.head",
			"axios.patch", "axios.request", "http.get", "https.get", "http.request", "https.request", "request", "request.get",
			"request.post", "got", "got.get", "got.post", "superagent.get", "superagent.post", "needle.get", "undici.request", "undici.fetch"}},
	{Rule: "xss", Class: engine.HTML, Args: []int{0}, Callees: []string{"*.send", "*.write", "*.end"}, When: htmlBody},
	{Rule: "xss", Class: engine.HTML, Args: []int{0},
		Callees: []string{"document.write", "document.writeln", "*.parseFromString"}},
	// The frameworks' own ways around their escaping: whatever a component
	// or service passes in is rendered as markup, script, style or URL.
	{Rule: "xss", Class: engine.HTML, Args: []int{0}, Bypass: true,
		Callees: []string{"dangerouslySetInnerHTML", "*.bypassSecurityTrustHtml", "*.bypassSecurityTrustScript",
			"*.bypassSecurityTrustStyle", "*.bypassSecurityTrustUrl", "*.bypassSecurityTrustResourceUrl",
			"*.trustAsHtml", "*.trustAsJs", "*.trustAsCss", "*.trustAsUrl", "*.trustAsResourceUrl"}},
	{Rule: "xss", Class: engine.HTML, Args: []int{1}, Bypass: true, Callees: []string{"$sce.trustAs"}},
	// jQuery and angular.element (jqLite) parse strings given to these
	// methods as HTML.
	{Rule: "xss", Class: engine.HTML, Args: []int{0}, When: onElement,
		Callees: []string{"*.html", "*.append", "*.prepend", "*.after", "*.before", "*.replaceWith", "*.wrap"}},
	// An API Gateway response that declares HTML (lowered from its object
	// literal by the front end).
	{Rule: "xss", Class: engine.HTML, Args: []int{0}, Callees: []string{htmlResponseBody}},
	{Rule: "xss", Class: engine.HTML, Args: []int{1}, Callees: []string{"*.insertAdjacentHTML"}},
	{Rule: "open-redirect", Class: engine.Redirect, HostFixed: true, Callees: []string{"*.redirect"}, Arg: redirectURL},
	{Rule: "open-redirect", Class: engine.Redirect, Args: []int{0}, HostFixed: true,
		Callees: []string{"location.assign", "location.replace", "window.location.assign", "window.location.replace", "window.open"}},
	{Rule: "code-injection", Class: engine.Code,
		Callees: []string{"eval", "Function", "window.eval", "global.eval", "vm.runInNewContext", "vm.runInThisContext",
			"vm.runInContext", "vm.Script", "vm.compileFunction", "*.execScript"}},
	// vm2 and sandbox run their code in a context of the caller's choosing,
	// and escapes from both are known: the code must still be trusted.
	{Rule: "code-injection", Class: engine.Code, Args: []int{0},
		Callees: []string{"vm2.VMScript", "vm2.VM().run", "vm2.NodeVM().run", "sandbox().run", "vm2.NodeVM().runFile"}},
	{Rule: "code-injection", Class: engine.Code, Args: []int{0}, Callees: []string{"setTimeout", "setInterval", "setImmediate"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			a := ir.Positional(call, 0)
			return a != nil && a.Kind != ir.Func && a.Kind != ir.Name // a string, not a callback
		}},
	{Rule: "template-injection", Class: engine.Template, Args: []int{0},
		Callees: []string{"ejs.render", "ejs.compile", "pug.compile", "pug.render", "handlebars.compile", "Handlebars.compile",
			"lodash.template", "_.template", "nunjucks.renderString", "mustache.render", "doT.template", "dot.template",
			"jade.compile", "jade.render", "pug.compileClient", "handlebars.precompile", "swig.render", "swig.compile",
			"hogan.compile", "hogan.js.compile", "eta.render", "eta.renderString", "eta.compile", "squirrelly.render", "squirrelly.compile",
			"dot.compile", "doT.compile", "liquidjs.Liquid().parseAndRender"}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, HostFixed: true, Callees: []string{"*.goto", "*.open", "*.navigate"}, When: onPage},
	// Chrome's PDF header and footer templates are HTML the browser renders.
	{Rule: "ssrf", Class: engine.HTML, Callees: []string{"*.printToPDF", "*.pdf"}, When: onPage,
		Arg: func(f *ir.File, fn *ir.Function, call *ir.Expr) []*ir.Expr {
			var out []*ir.Expr
			for _, k := range []string{"headerTemplate", "footerTemplate"} {
				if v := ir.Keyword(ir.Positional(call, 0), k); v != nil {
					out = append(out, v)
				}
			}
			return out
		}},
	{Rule: "ssrf", Class: engine.URL, Args: []int{0}, HostFixed: true, Callees: []string{"*.openUrl"}, When: onPage},
	// HTML rendered by a headless browser on the server fetches what its
	// markup points at (internal hosts, file:// URLs): a request forgery,
	// not script in another user's browser.
	{Rule: "ssrf", Class: engine.HTML, Args: []int{0}, Callees: []string{"*.setContent", "*.setDocumentContent"}, When: onPage},
	{Rule: "ssrf", Class: engine.HTML, Args: []int{1}, Callees: []string{"*.property"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			a := ir.Positional(call, 0)
			return onPage(f, fn, call) && a != nil && a.Kind == ir.StrLit && a.Value == "content"
		}},
	{Rule: "ssrf", Class: engine.HTML, Args: []int{0}, Callees: []string{"wkhtmltopdf", "wkhtmltoimage.generate"}},
	// Script evaluated in a headless browser's page runs in the browser's
	// sandbox, not in this process: what it can do is fetch internal hosts
	// and file:// URLs from inside the network, a request forgery.
	{Rule: "ssrf", Class: engine.Code, Args: []int{0},
		Callees: []string{"*.evaluate", "*.evaluateHandle", "*.compileScript", "*.addScriptTag", "*.addInitScript",
			"*.evaluateOnNewDocument", "*.evaluateJavaScript"},
		When: func(f *ir.File, fn *ir.Function, call *ir.Expr) bool {
			a := ir.Positional(call, 0)
			return onPage(f, fn, call) && a != nil && a.Kind != ir.Func // page.evaluate(fn) runs a function, not text
		}},
}

// props are DOM and framework properties that are sinks when assigned.
var props = []engine.PropertySink{
	{Rule: "xss", Class: engine.HTML, Props: []string{"innerHTML", "outerHTML"}},
	{Rule: "open-redirect", Class: engine.Redirect, HostFixed: true,
		Props: []string{"location", "location.href", "window.location", "window.location.href", "document.location", "document.location.href"}},
}

var sanitizers = []engine.Sanitizer{
	{Clears: engine.All, Callees: []string{"parseInt", "parseFloat", "Number", "Number.parseInt", "Boolean", "Math.floor",
		"Math.round", "validator.isInt", "validator.toInt", "uuid.validate"}},
	{Clears: engine.HTML | engine.Redirect | engine.URL | engine.Path | engine.Command, Callees: []string{"encodeURIComponent"}},
	{Clears: engine.HTML, Callees: []string{"escape-html", "he.encode", "he.escape", "lodash.escape", "_.escape", "validator.escape",
		"DOMPurify.sanitize", "dompurify.sanitize", "isomorphic-dompurify.sanitize", "sanitize-html", "xss", "xss.filterXSS",
		"filterXSS", "escapeHtml", "*.sanitize", "encodeURI", "$sanitize"}},
	// Template engines escape the data they render ({{x}}, <%= x %>); a
	// template built from input is template-injection's business.
	{Clears: engine.HTML, Callees: []string{"ejs.render", "mustache.render", "squirrelly.render", "eta.render", "pug.render",
		"jade.render", "nunjucks.renderString", "nunjucks.render", "hogan.js.compile().render", "hogan.compile().render"}},
	{Clears: engine.Path, Callees: []string{"path.basename", "sanitize-filename"}},
	{Clears: engine.SQL, Callees: []string{"*.escape", "mysql.escape", "sqlstring.escape", "pg-format", "*.escapeId", "*.escapeLiteral", "*.escapeIdentifier"}},
	{Clears: engine.Command, Callees: []string{"shell-quote.quote", "shescape.quote", "shell-escape"}},
}

// cleans recognises sanitising calls by their shape: x.replace(/\.\.\//g, "")
// strips parent references from a path, and a function named sanitize…
// is the project's own sanitiser.
func cleans(f *ir.File, call *ir.Expr) engine.Class {
	if call.X == nil {
		return 0
	}
	name := call.X.Name
	if call.X.Kind == ir.Attr && (name == "replace" || name == "replaceAll") {
		pat, with := ir.Positional(call, 0), ir.Positional(call, 1)
		if pat != nil && pat.Kind == ir.StrLit && with != nil && with.Kind == ir.StrLit && with.Value == "" &&
			(strings.Contains(pat.Value, `\.\.`) || strings.Contains(pat.Value, "..")) {
			return engine.Path
		}
		return 0
	}
	if call.X.Kind == ir.Name || call.X.Kind == ir.Attr {
		n := strings.ToLower(name)
		if strings.HasPrefix(n, "sanitiz") || strings.HasPrefix(n, "sanitis") {
			return engine.Path | engine.HTML
		}
	}
	return 0
}

// Spec is the JavaScript/TypeScript table for the taint engine.
var Spec = &engine.Spec{
	Lang:         "javascript",
	Source:       source,
	ParamSources: paramSources,
	Sinks:        sinks,
	Props:        props,
	Sanitizers:   sanitizers,
	Cleans:       cleans,
	NoReturn:     []string{"process.exit"},
	Validators: []string{"startsWith", "endsWith", "includes", "has", "test", "match", "isURL", "isSafeUrl", "isValid",
		"isAlphanumeric", "isNumeric", "isInt", "isUUID", "validate", "isValidPath"},
	Mutators:  []string{"push", "unshift", "add", "set", "append", "write", "concat"},
	Iterators: []string{"forEach", "map", "flatMap", "filter", "find", "findIndex", "some", "every"},
	Loggers:   []string{"console.log", "console.error", "console.warn", "console.info", "console.debug", "console.trace"},
	SelfNames: []string{"this"},
	UnknownParam: func(f *ir.File, fn *ir.Function, p ir.Param) bool {
		switch p.Type {
		case "number", "boolean", "Date", "bigint":
			return false
		}
		return !frameworkParams[p.Name]
	},
	FreeNames: true,
	Builtins: []string{"window", "document", "console", "globalThis", "process", "require", "module", "exports", "arguments",
		"self", "navigator", "localStorage", "sessionStorage", "fetch", "setTimeout", "setInterval", "parseInt", "parseFloat",
		"isNaN", "isFinite", "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "eval", "location", "history",
		"__dirname", "__filename", "alert", "crypto", "structuredClone", "queueMicrotask", "atob", "btoa", "global", "this", "super"},
	HTMLStrings: true,
}
