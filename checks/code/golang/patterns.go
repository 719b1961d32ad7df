package golang

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// isTrue matches true, !false, and a package constant holding either.
func isTrue(f *ir.File) func(v *ir.Expr) bool {
	return func(v *ir.Expr) bool {
		v = rulekit.ResolveConst(f, v)
		if ir.IsTrue(v) {
			return true
		}
		return v != nil && v.Kind == ir.Unary && v.Name == "!" && ir.IsFalse(rulekit.ResolveConst(f, v.X))
	}
}

// oldTLS matches a MinVersion or MaxVersion below TLS 1.2.
func oldTLS(f *ir.File) func(v *ir.Expr) bool {
	return func(v *ir.Expr) bool {
		switch f.Qualified(v) {
		case "crypto/tls.VersionSSL30", "crypto/tls.VersionTLS10", "crypto/tls.VersionTLS11":
			return true
		}
		return false
	}
}

// Patterns are the Go pattern rules; audit adds lower-confidence ones.
func Patterns(audit bool) []engine.Pattern {
	return []engine.Pattern{
		insecureSkipVerify(),
		tlsVersion(),
		rulekit.WeakHashes("weak-hash", map[string]string{
			"crypto/md5.New": "MD5", "crypto/md5.Sum": "MD5", "crypto/sha1.New": "SHA-1", "crypto/sha1.Sum": "SHA-1",
			"golang.org/x/crypto/md4.New": "MD4",
		}, nil, audit),
		rulekit.Calls("weak-cipher", map[string]string{
			"crypto/des.NewCipher":                   "DES's 56-bit key is brute-forced in hours",
			"crypto/des.NewTripleDESCipher":          "3DES is deprecated (64-bit blocks, Sweet32)",
			"crypto/rc4.NewCipher":                   "RC4's keystream biases leak plaintext",
			"golang.org/x/crypto/blowfish.NewCipher": "Blowfish's 64-bit blocks are open to birthday attacks",
		}),
		rulekit.InsecureRandom("insecure-random",
			map[string]bool{"math/rand.Read": true, "math/rand/v2.Read": true},
			mathRand(), audit),
		jwtNone(),
		jwtUnverified(),
		rulekit.CORS("cors-credentials-any-origin", nil,
			[]string{"AllowedOrigins", "AllowOrigins", "AllowAllOrigins"}, []string{"AllowCredentials"}, false),
		rulekit.FileModes("world-writable", map[string]rulekit.ModeCall{
			"os.Chmod": rulekit.Chmod, "os.WriteFile": rulekit.CreateFile, "io/ioutil.WriteFile": rulekit.CreateFile,
			"os.OpenFile": rulekit.CreateFile, "os.Mkdir": rulekit.CreateDir, "os.MkdirAll": rulekit.CreateDir,
		}, map[string]int{"os.Chmod": 1, "os.WriteFile": 2, "io/ioutil.WriteFile": 2, "os.OpenFile": 2, "os.Mkdir": 1, "os.MkdirAll": 1}, "", audit),
		rulekit.BindAll("bind-all-interfaces", map[string]int{
			"net.Listen": 1, "net/http.ListenAndServe": 0, "net/http.ListenAndServeTLS": 0, "net.ListenPacket": 1,
		}, "", audit),
	}
}

// mathRand lists math/rand's number generators.
func mathRand() map[string]bool {
	m := map[string]bool{}
	for _, pkg := range []string{"math/rand", "math/rand/v2"} {
		for _, fn := range []string{"Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Float32", "Float64", "Perm", "IntN", "Int64", "Int64N", "Uint64N", "N"} {
			m[pkg+"."+fn] = true
		}
	}
	return m
}

// tlsVersion flags tls.Config versions below TLS 1.2.
func tlsVersion() engine.Pattern {
	return engine.Pattern{Rule: "tls-old-version", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		var v *ir.Expr
		name := e.Name
		switch {
		case e.Kind == ir.KeyValue && (e.Name == "MinVersion" || e.Name == "MaxVersion"):
			v = e.X
		case e.Kind == ir.Attr && (e.Name == "MinVersion" || e.Name == "MaxVersion") && s != nil && s.Kind == ir.Assign && len(s.Lhs) == 1 && s.Lhs[0] == e && len(s.Rhs) == 1:
			v = s.Rhs[0]
		case e.Kind == ir.KeyValue && e.Name == "CipherSuites" && e.X != nil && e.X.Kind == ir.Collection:
			for _, c := range e.X.Args {
				if q := f.Qualified(c); strings.HasPrefix(q, "crypto/tls.") && weakSuite(q) {
					return []engine.PatternHit{{Pos: e.Pos, Message: "CipherSuites includes " + f.Text(c.Pos) + ", a suite without forward secrecy or with a broken cipher"}}
				}
			}
			return nil
		default:
			return nil
		}
		target := resolveLocal(fn, v)
		if !oldTLS(f)(target) {
			return nil
		}
		h := engine.PatternHit{Pos: e.Pos, Message: name + " " + f.Text(target.Pos) + " allows TLS versions with known attacks (BEAST, POODLE)"}
		if target == v {
			h.Fix = &engine.Edit{Pos: v.Pos, Text: tlsName(f) + ".VersionTLS12"}
		}
		return []engine.PatternHit{h}
	}}
}

func tlsName(f *ir.File) string {
	for name, p := range f.Imports {
		if p == "crypto/tls" {
			return name
		}
	}
	return "tls"
}

// jwtUnverified flags token parsing that skips the signature check.
func jwtUnverified() engine.Pattern {
	return engine.Pattern{Rule: "jwt-none", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call || e.X.Kind != ir.Attr || e.X.Name != "ParseUnverified" {
			return nil
		}
		jwt := false
		for _, p := range f.Imports {
			if strings.Contains(p, "jwt") {
				jwt = true
			}
		}
		if !jwt {
			return nil
		}
		return []engine.PatternHit{{Pos: e.Pos, Message: "ParseUnverified reads a JWT without checking its signature; anyone can forge its claims"}}
	}}
}

// jwtNone flags the jwt-go constants that accept or produce unsigned tokens.
func jwtNone() engine.Pattern {
	return engine.Pattern{Rule: "jwt-none", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Attr || (e.Name != "UnsafeAllowNoneSignatureType" && e.Name != "SigningMethodNone") {
			return nil
		}
		if q := f.Qualified(e); !strings.Contains(q, "jwt") {
			return nil
		}
		return []engine.PatternHit{{Pos: e.Pos, Message: "the JWT \"none\" algorithm (" + e.Name + ") makes unsigned tokens valid; anyone can forge them"}}
	}}
}

// insecureSkipVerify flags InsecureSkipVerify set to true, in a literal or
// an assignment.
func insecureSkipVerify() engine.Pattern {
	return engine.Pattern{Rule: "tls-verify-disabled", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		var v *ir.Expr
		switch {
		case e.Kind == ir.KeyValue && e.Name == "InsecureSkipVerify":
			v = e.X
		case e.Kind == ir.Attr && e.Name == "InsecureSkipVerify" && s != nil && s.Kind == ir.Assign && len(s.Lhs) == 1 && s.Lhs[0] == e && len(s.Rhs) == 1:
			v = s.Rhs[0]
		default:
			return nil
		}
		if !isTrue(f)(v) {
			return nil
		}
		h := engine.PatternHit{Pos: e.Pos, Message: "InsecureSkipVerify: true turns off TLS certificate checks, so anyone on the network path can impersonate the server"}
		if e.Kind == ir.Attr {
			h.Pos = s.Pos
		}
		if ir.IsTrue(v) {
			h.Fix = &engine.Edit{Pos: v.Pos, Text: "false"}
		}
		return []engine.PatternHit{h}
	}}
}

// weakSuite reports TLS cipher suites without forward secrecy (TLS_RSA_…)
// or built on RC4, 3DES or CBC with SHA-1.
func weakSuite(q string) bool {
	n := strings.TrimPrefix(q, "crypto/tls.")
	return strings.HasPrefix(n, "TLS_RSA_") || strings.Contains(n, "RC4") || strings.Contains(n, "3DES") ||
		(strings.Contains(n, "_CBC_") && strings.HasSuffix(n, "_SHA"))
}

// resolveLocal follows a name to the value it was last given in the
// function (var low uint16 = tls.VersionTLS10), best effort.
func resolveLocal(fn *ir.Function, v *ir.Expr) *ir.Expr {
	if v == nil || v.Kind != ir.Name || fn == nil {
		return v
	}
	var found *ir.Expr
	for _, s := range fn.Body {
		if s.Kind == ir.Assign && len(s.Lhs) == 1 && len(s.Rhs) == 1 && s.Lhs[0].Kind == ir.Name && s.Lhs[0].Name == v.Name {
			found = s.Rhs[0]
		}
	}
	if found == nil {
		return v
	}
	return found
}
