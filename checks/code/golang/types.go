package golang

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// framework is what a parameter's declared type says about it.
type framework int

const (
	fwNone    framework = iota
	fwRequest           // *net/http.Request: every field is client data
	fwWriter            // net/http.ResponseWriter
	fwGin               // *gin.Context
	fwEcho              // echo.Context
	fwFiber             // *fiber.Ctx
	fwLambda            // an API Gateway or ALB event of aws-lambda-go: all client data
)

// typeOf resolves a parameter type as written ("*http.Request") to the
// framework type it names, through the file's imports. Without go/types
// (which would need the dependencies' sources) this syntactic view is what
// is available; it is exact for handler signatures, which spell the type.
func typeOf(f *ir.File, typ string) framework {
	typ = strings.TrimPrefix(typ, "*")
	pkg, name, ok := strings.Cut(typ, ".")
	if !ok {
		return fwNone
	}
	path := stripMajor(f.Imports[pkg])
	switch {
	case path == "net/http" && name == "Request":
		return fwRequest
	case path == "net/http" && name == "ResponseWriter":
		return fwWriter
	case path == "github.com/gin-gonic/gin" && name == "Context":
		return fwGin
	case path == "github.com/labstack/echo" && name == "Context":
		return fwEcho
	case path == "github.com/gofiber/fiber" && name == "Ctx":
		return fwFiber
	case path == "github.com/aws/aws-lambda-go/events" && (strings.HasSuffix(name, "ProxyRequest") || strings.HasSuffix(name, "HTTPRequest") ||
		name == "ALBTargetGroupRequest" || name == "LambdaFunctionURLRequest"):
		return fwLambda
	}
	return fwNone
}

// stripMajor drops a trailing /vN from a module path.
func stripMajor(p string) string {
	if i := strings.LastIndex(p, "/v"); i > 0 && isDigits(p[i+2:]) {
		return p[:i]
	}
	return p
}

// paramKind is the framework type of the parameter called name in fn.
func paramKind(f *ir.File, fn *ir.Function, name string) framework {
	if fn == nil {
		return fwNone
	}
	for _, p := range fn.Params {
		if p.Name == name {
			return typeOf(f, p.Type)
		}
	}
	return fwNone
}

// receiverKind is the framework type of a method call's receiver, when the
// receiver is a parameter.
func receiverKind(f *ir.File, fn *ir.Function, call *ir.Expr) framework {
	if call == nil || call.X == nil || call.X.Kind != ir.Attr || call.X.X == nil || call.X.X.Kind != ir.Name {
		return fwNone
	}
	return paramKind(f, fn, call.X.X.Name)
}
