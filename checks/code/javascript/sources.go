package javascript

import (
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// requestData are the fields of an Express, Next.js or Koa request that
// carry client data.
var requestData = set("query", "params", "body", "headers", "cookies", "signedCookies", "url", "originalUrl", "path",
	"get", "header", "files", "file", "param", "rawBody", "hostname", "host", "search", "href")

// callableRequestData are request methods that return client data.
var callableRequestData = set("get", "header", "param", "is")

// requestRoots are the names handlers give the request object.
var requestRoots = set("req", "request")

// koaContextData are the Koa context's shortcuts to request data.
var koaContextData = set("query", "params", "request", "headers", "header", "cookies", "url", "originalUrl", "path", "querystring", "get")

// lambdaEventData are the fields of an AWS Lambda / API Gateway event.
var lambdaEventData = set("body", "queryStringParameters", "pathParameters", "multiValueQueryStringParameters", "headers")

// browserSources are DOM values an attacker controls through a link.
var browserSources = set("location.hash", "location.search", "location.href", "window.location.hash", "window.location.search",
	"window.location.href", "document.location.hash", "document.location.search", "document.location.href", "document.URL",
	"document.documentURI", "document.referrer", "window.name", "location", "document.location", "window.location")

// source recognises JavaScript expressions that yield untrusted data.
func source(f *ir.File, fn *ir.Function, e *ir.Expr) *engine.Source {
	switch e.Kind {
	case ir.Attr, ir.Call, ir.Index:
	default:
		return nil
	}
	q := f.Qualified(e)
	if strings.HasPrefix(q, "process.argv") || q == "Deno.args" {
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
	}
	if strings.HasPrefix(q, "process.env.") || strings.HasPrefix(q, "process.env[]") {
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true, AuditOnly: true}
	}
	if e.Kind == ir.Attr && browserSources[q] {
		// The page's own URL in a browser: a fetch from it is made by the
		// visitor's browser, not the server, so it is no SSRF.
		return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Safe: engine.URL}
	}
	root := ir.Root(e)
	first := ir.NthAttrFromRoot(e, 0)
	if root == nil || first == nil {
		return nil
	}
	if _, imported := f.Imports[root.Name]; imported {
		return nil
	}
	// request.query(sql) is a database call (mssql), not request data:
	// only get/header/param are methods of a request.
	if e.Kind == ir.Call && e.X == first && !callableRequestData[first.Name] {
		return nil
	}
	// "request" is also what HTTP clients call their own outgoing
	// request; only a handler's parameter of that name is the client's.
	if root.Name == "request" && !fn.HasParam("request") {
		return nil
	}
	switch {
	case requestRoots[root.Name] && requestData[first.Name]:
	case root.Name == "ctx" && koaContextData[first.Name]:
	case root.Name == "event" && lambdaEventData[first.Name]:
	case root.Name == "this" && first.Name == "req":
		if second := ir.NthAttrFromRoot(e, 1); second == nil || !requestData[second.Name] {
			return nil
		}
	default:
		return nil
	}
	return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
}

// paramSources marks the event of an AWS Lambda handler (event, context)
// and the request fields a handler destructures in its parameter list:
// ({ params, query }: Request, res) => ….
func paramSources(f *ir.File, fn *ir.Function) map[string]*engine.Source {
	if len(fn.Params) >= 1 && fn.Params[0].Name == "event" &&
		(len(fn.Params) >= 2 && fn.Params[1].Name == "context" || strings.Contains(strings.ToLower(fn.Name), "handler")) {
		return map[string]*engine.Source{"event": {Desc: "Lambda `event`", Line: fn.Params[0].Pos.Line}}
	}
	if len(fn.Params) >= 2 && strings.HasPrefix(fn.Params[0].Name, "{") &&
		(strings.Contains(fn.Params[0].Type, "Request") || responseRoots[fn.Params[1].Name]) {
		return destructuredRequest(fn.Params[0])
	}
	return nil
}

// destructuredRequest maps the local names of a destructured request
// parameter that hold client data: {query, body: b} gives query and b.
func destructuredRequest(p ir.Param) map[string]*engine.Source {
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(p.Name), "{"), "}")
	out := map[string]*engine.Source{}
	for _, part := range strings.Split(inner, ",") {
		key, local, renamed := strings.Cut(part, ":")
		key = strings.TrimSpace(key)
		if !renamed {
			local = key
		}
		local, _, _ = strings.Cut(local, "=")
		local = strings.TrimSpace(local)
		if requestData[key] && local != "" && !strings.ContainsAny(local, "{}[]. ") {
			out[local] = &engine.Source{Desc: fmt.Sprintf("request `%s`", key), Line: p.Pos.Line}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
