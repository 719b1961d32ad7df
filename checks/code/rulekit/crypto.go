package rulekit

import (
	"fmt"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
)

// WeakHashes flags MD5 and SHA-1 (the map's values name the algorithm),
// except where the surrounding names show a non-security use such as a
// cache key or checksum. A clearly security-related use (password,
// signature, token) keeps the rule's severity; an unclear one is weaker.
// exempt, if set, reports calls that declare themselves non-security
// (Python's usedforsecurity=False).
//
// In audit mode benign-looking uses are reported too, at the lower severity.
func WeakHashes(rule string, calls map[string]string, exempt func(call *ir.Expr) bool, audit bool) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		algo, ok := calls[f.Callee(e)]
		if !ok {
			return nil
		}
		if algo == "" { // hashlib.new(name) style: the algorithm is the first argument
			v, _ := ir.StringValue(ir.Positional(e, 0))
			switch v {
			case "md5", "MD5", "sha1", "SHA1", "sha-1", "md4", "MD4":
				algo = v
			default:
				return nil
			}
		}
		if exempt != nil && exempt(e) {
			return nil
		}
		w := Words(f, e, fn, s)
		use, usedFor, usedAt := DigestUse(f, e, fn, s)
		sensitive := Sensitive(w) || usedFor != ""
		if !sensitive && (Benign(w) || Benign(use)) && !audit {
			return nil
		}
		h := engine.PatternHit{Pos: e.Pos, Weaker: !sensitive}
		switch {
		case usedFor != "" && !Sensitive(w):
			h.Message = fmt.Sprintf("the %s hash made by %s reaches %s (line %d); %s is broken for passwords, tokens and signatures",
				algo, f.Text(e.X.Pos), usedFor, usedAt, algo)
		case sensitive:
			h.Message = fmt.Sprintf("%s hashes security-sensitive data with %s, which is broken for this purpose", f.Text(e.X.Pos), algo)
		default:
			h.Message = fmt.Sprintf("%s uses %s; if the hash protects anything (passwords, signatures, tokens) it is broken", f.Text(e.X.Pos), algo)
		}
		return []engine.PatternHit{h}
	}}
}

// InsecureRandom flags non-cryptographic random numbers used for secrets:
// calls listed in always are flagged anywhere (math/rand.Read is a
// crypto/rand mix-up); calls in context only where the surrounding names
// say token, password, key or the like — or, in audit mode, anywhere not
// clearly benign, at the lower severity.
func InsecureRandom(rule string, always, context map[string]bool, audit bool) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		name := f.Callee(e)
		weaker := false
		switch {
		case always[name]:
		case context[name]:
			w := Words(f, e, fn, s)
			secret := Sensitive(w) || hasToken(w, "key", "code", "id", "uuid", "reset", "invite", "pin")
			switch {
			case secret && !Benign(w):
			case audit:
				weaker = true
			default:
				return nil
			}
		default:
			return nil
		}
		return []engine.PatternHit{{Pos: e.Pos, Weaker: weaker,
			Message: fmt.Sprintf("%s is predictable and must not generate secrets, tokens or keys", f.Text(e.X.Pos))}}
	}}
}

// CORS flags a CORS configuration that allows any origin together with
// credentials, in a collection or a call's keyword arguments. originKeys
// and credentialKeys name the settings; defaultAny is true when leaving the
// origin out means "any" (flask_cors).
func CORS(rule string, calls map[string]bool, originKeys, credentialKeys []string, defaultAny bool) engine.Pattern {
	return engine.Pattern{Rule: rule, Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call && e.Kind != ir.Collection {
			return nil
		}
		if _, ok := Lookup(calls, f.Callee(e)); e.Kind == ir.Call && !ok {
			return nil
		}
		creds := false
		for _, k := range credentialKeys {
			if ir.IsTrue(ir.Keyword(e, k)) {
				creds = true
			}
		}
		if !creds {
			return nil
		}
		anyOrigin, seen := false, false
		at := e.Pos // the origin setting when there is one: the line to fix
		for _, k := range originKeys {
			v := ir.Keyword(e, k)
			if v == nil {
				continue
			}
			seen = true
			if wildcard(ResolveConst(f, v)) {
				anyOrigin, at = true, v.Pos
			}
		}
		if !anyOrigin && !(defaultAny && !seen && e.Kind == ir.Call) {
			return nil
		}
		return []engine.PatternHit{{Pos: at,
			Message: "CORS allows credentialed requests from any origin, so any web site can act as the logged-in user"}}
	}}
}

// wildcard matches "*", true, or a list holding "*".
func wildcard(v *ir.Expr) bool {
	if ir.IsTrue(v) {
		return true
	}
	if s, ok := ir.StringValue(v); ok {
		return s == "*"
	}
	if v.Kind == ir.Collection {
		for _, a := range v.Args {
			if s, ok := ir.StringValue(a); ok && s == "*" {
				return true
			}
		}
	}
	return false
}
