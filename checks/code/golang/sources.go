package golang

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// requestNonData are fields and methods of *http.Request that carry no
// client-controlled text worth tracking.
var requestNonData = map[string]bool{"Context": true, "Method": true, "WithContext": true, "Clone": true,
	"ContentLength": true, "TLS": true, "Proto": true, "ProtoMajor": true, "ProtoMinor": true, "ParseForm": true,
	"ParseMultipartForm": true, "RemoteAddr": true, "Close": true, "Response": true, "Cancel": true}

// contextSources are the methods of framework contexts that return client
// data (gin, echo, fiber).
var contextSources = map[framework]map[string]bool{
	fwGin: set("Query", "DefaultQuery", "QueryArray", "QueryMap", "GetQuery", "GetQueryArray", "GetQueryMap",
		"Param", "PostForm", "DefaultPostForm", "PostFormArray", "PostFormMap", "GetPostForm", "GetPostFormArray",
		"FormFile", "MultipartForm", "GetHeader", "GetRawData", "Cookie", "Bind", "BindJSON", "BindQuery", "BindUri",
		"BindHeader", "BindXML", "BindYAML", "ShouldBind", "ShouldBindJSON", "ShouldBindQuery", "ShouldBindUri",
		"ShouldBindHeader", "ShouldBindXML", "ShouldBindYAML", "ShouldBindWith", "ShouldBindBodyWith", "BindWith"),
	fwEcho: set("QueryParam", "QueryParams", "QueryString", "Param", "ParamValues", "FormValue", "FormParams",
		"FormFile", "MultipartForm", "Cookie", "Cookies", "Bind"),
	fwFiber: set("Params", "ParamsInt", "Query", "Queries", "QueryParser", "Body", "BodyRaw", "BodyParser",
		"FormValue", "FormFile", "Get", "GetReqHeaders", "Cookies", "AllParams", "ParamsParser", "ReqHeaderParser",
		"OriginalURL", "Path"),
}

// sourceCalls are package functions returning client data from a request.
var sourceCalls = map[string]bool{
	"github.com/gorilla/mux.Vars":    true,
	"github.com/go-chi/chi.URLParam": true, "github.com/go-chi/chi.URLParamFromCtx": true,
}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// source recognises Go expressions that yield untrusted data.
func source(f *ir.File, fn *ir.Function, e *ir.Expr) *engine.Source {
	switch e.Kind {
	case ir.Call:
		name := f.Callee(e)
		if i := strings.LastIndexByte(name, '.'); i > 0 && sourceCalls[stripMajor(name[:i])+name[i:]] {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
		}
		if k := receiverKind(f, fn, e); k != fwNone && contextSources[k][e.X.Name] {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
		}
	case ir.Index:
		// os.Args[0] is the program's own path (re-executing oneself is a
		// test idiom), not input.
		if f.Qualified(e.X) == "os.Args" && !(len(e.Args) == 1 && e.Args[0] != nil && e.Args[0].Kind == ir.NumLit && e.Args[0].Value == "0") {
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
		}
	case ir.Attr:
		// os.Args itself is matched through its elements (see Index) so
		// that os.Args[0] stays clean.
		switch f.Qualified(e) {
		case "os.Stdin":
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
		}
	}
	if e.Kind == ir.Call {
		switch f.Callee(e) {
		case "os.Getenv", "os.LookupEnv":
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true, AuditOnly: true}
		case "flag.Arg", "flag.Args":
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line, Weak: true}
		}
	}
	// Any data reached from an *http.Request parameter: r.URL.Query(),
	// r.FormValue("x"), r.Header, r.Body, and c.Request.… in gin.
	if e.Kind == ir.Attr || e.Kind == ir.Call || e.Kind == ir.Index {
		first := firstAccess(e)
		if first == nil || first.X == nil || first.X.Kind != ir.Name {
			return nil
		}
		switch paramKind(f, fn, first.X.Name) {
		case fwLambda:
			return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
		case fwRequest:
			if !requestNonData[first.Name] {
				return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
			}
		case fwGin:
			if first.Name == "Request" {
				if second := secondAccess(e); second != nil && !requestNonData[second.Name] {
					return &engine.Source{Desc: ir.Describe(f, e), Line: e.Pos.Line}
				}
			}
		}
	}
	return nil
}

// firstAccess is the Attr node directly on the chain's root: for
// r.URL.Query().Get("x") it is r.URL.
func firstAccess(e *ir.Expr) *ir.Expr {
	var first *ir.Expr
	for i := 0; e != nil && i < 64; i++ {
		if e.Kind == ir.Attr {
			first = e
		}
		if e.Kind == ir.Name {
			return first
		}
		e = e.X
	}
	return nil
}

// secondAccess is the Attr after the first: r.URL in c.Request.URL.
func secondAccess(e *ir.Expr) *ir.Expr { return ir.NthAttrFromRoot(e, 1) }

// nthAttrFromRoot is the n-th member access counted from the chain's root.

// describe quotes an expression for a message, shortened.
