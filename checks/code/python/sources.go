package python

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// flaskRequestData are the attributes of flask.request that carry client
// data; others (method, endpoint) do not.
var flaskRequestData = set("args", "form", "values", "json", "data", "files", "cookies", "headers", "get_json",
	"get_data", "view_args", "stream", "url", "full_path", "path", "query_string", "base_url", "referrer", "host", "authorization")

// djangoRequestData are the attributes of a Django (or DRF) request that
// carry client data, and those a Pyramid (WebOb) request adds: params,
// matchdict (URL parameters), json_body.
var djangoRequestData = set("GET", "POST", "body", "COOKIES", "META", "FILES", "headers", "data", "query_params",
	"path", "path_info", "get_full_path", "read", "content_params", "params", "matchdict", "json_body")

// ownURL marks the parts of the request that name this site's own URL:
// redirecting or fetching there cannot reach another host.
var ownURL = map[string]engine.Class{"path": engine.Redirect | engine.URL, "full_path": engine.Redirect | engine.URL,
	"path_info": engine.Redirect | engine.URL, "get_full_path": engine.Redirect | engine.URL, "url": engine.Redirect,
	"base_url": engine.Redirect | engine.URL, "host": engine.Redirect}

// requestNames are the names Django views and DRF handlers give the request.
var requestNames = set("request", "req")

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// source recognises Python expressions that yield untrusted data.
func source(f *ir.File, fn *ir.Function, e *ir.Expr) *engine.Source {
	switch e.Kind {
	case ir.Attr, ir.Call, ir.Index:
	default:
		return nil
	}
	q := f.Qualified(e)
	switch {
	case strings.HasPrefix(q, "sys.argv") && !(e.Kind == ir.Index && len(e.Args) == 1 && e.Args[0] != nil && e.Args[0].Value == "0"):
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
	case q == "input()" || q == "raw_input()" || strings.HasSuffix(q, ".parse_args()") || strings.HasSuffix(q, ".parse_known_args()") ||
		q == "getopt.getopt()" || q == "getopt.gnu_getopt()":
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
	case strings.HasPrefix(q, "os.environ") || q == "os.getenv()" || q == "os.getenvb()":
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true, AuditOnly: true}
	}
	// flask.request.<data>… (imported as `from flask import request`),
	// unless a parameter of the same name shadows the import.
	if rest, ok := strings.CutPrefix(q, "flask.request."); ok && !fn.HasParam("request") {
		attr, _, _ := strings.Cut(strings.TrimSuffix(rest, "()"), ".")
		attr = strings.TrimSuffix(strings.TrimSuffix(attr, "()"), "[]")
		if flaskRequestData[attr] {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Safe: ownURL[attr]}
		}
		return nil
	}
	// request.GET… on a Django/DRF request, also self.request.GET.
	first := ir.NthAttrFromRoot(e, 0)
	root := ir.Root(e)
	if first == nil || root == nil {
		return nil
	}
	if requestNames[root.Name] && djangoRequestData[first.Name] {
		if _, imported := f.Imports[root.Name]; !imported || fn.HasParam(root.Name) {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Safe: ownURL[first.Name]}
		}
	}
	if root.Name == "self" && first.Name == "request" {
		if second := ir.NthAttrFromRoot(e, 1); second != nil && djangoRequestData[second.Name] {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
		}
	}
	return nil
}

// routeVerbs are decorator methods that register a web handler.
var routeVerbs = set("route", "get", "post", "put", "delete", "patch", "api_route", "websocket", "head", "options")

// safeParamTypes are annotations whose values cannot carry text.
var safeParamTypes = set("int", "float", "bool", "UUID", "uuid.UUID", "Request", "Response", "Session", "BackgroundTasks",
	"AsyncSession", "datetime", "date", "Decimal", "WebSocket", "HTTPConnection")

var flaskConverter = regexp.MustCompile(`<(?:([a-z]+):)?([A-Za-z_][A-Za-z0-9_]*)>`)

// paramSources marks the parameters of Flask and FastAPI route handlers
// (and Django views' URL parameters) as untrusted.
func paramSources(f *ir.File, fn *ir.Function) map[string]*engine.Source {
	for _, d := range fn.Decorators {
		if d.Kind != ir.Call || d.X == nil || d.X.Kind != ir.Attr || !routeVerbs[d.X.Name] {
			continue
		}
		out := map[string]*engine.Source{}
		path, _ := ir.StringValue(ir.Positional(d, 0))
		if strings.Contains(path, "<") { // Flask: only converted URL parts
			for _, m := range flaskConverter.FindAllStringSubmatch(path, -1) {
				if m[1] == "int" || m[1] == "float" || m[1] == "uuid" {
					continue
				}
				out[m[2]] = &engine.Source{Desc: fmt.Sprintf("URL parameter `%s`", m[2]), Line: d.Pos.Line}
			}
			return out
		}
		for _, p := range fn.Params {
			if p.Name == "self" || safeParamTypes[p.Type] || strings.HasPrefix(p.Type, "Annotated[int") {
				continue
			}
			if p.Default != nil && p.Default.Kind == ir.Call && strings.HasSuffix(ir.Dotted(p.Default.X), "Depends") {
				continue
			}
			out[p.Name] = &engine.Source{Desc: fmt.Sprintf("request parameter `%s`", p.Name), Line: p.Pos.Line}
		}
		return out
	}
	// An AWS Lambda handler: handler(event, context) gets the request.
	if len(fn.Params) == 2 && fn.Params[0].Name == "event" && fn.Params[1].Name == "context" {
		return map[string]*engine.Source{"event": {Desc: "Lambda `event`", Line: fn.Params[0].Pos.Line}}
	}
	// A Django function view: view(request, slug) gets slug from the URL.
	if fn.Class == "" && len(fn.Params) > 1 && fn.Params[0].Name == "request" {
		out := map[string]*engine.Source{}
		for _, p := range fn.Params[1:] {
			if p.Type == "" || !safeParamTypes[p.Type] {
				if strings.HasPrefix(p.Name, "*") || p.Name == "args" || p.Name == "kwargs" {
					continue
				}
				out[p.Name] = &engine.Source{Desc: fmt.Sprintf("URL parameter `%s`", p.Name), Line: p.Pos.Line}
			}
		}
		return out
	}
	return nil
}

// returnSink: a Flask view's returned string is the HTML response.
func returnSink(f *ir.File, fn *ir.Function) *engine.Sink {
	for _, d := range fn.Decorators {
		if d.Kind == ir.Call && d.X != nil && d.X.Kind == ir.Attr && d.X.Name == "route" {
			for _, imp := range f.Imports {
				if strings.HasPrefix(imp, "flask") {
					return &xssSink
				}
			}
		}
	}
	return nil
}

var xssSink = engine.Sink{Rule: "xss", Class: engine.HTML}
