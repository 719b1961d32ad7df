// Package rulekit builds the engine's pattern rules from per-language
// tables: which calls set a file mode, which keys disable TLS checks, which
// calls hash or draw random numbers. Languages supply names; the logic of
// each rule lives here once.
package rulekit

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// securityWords mark code that protects something: a weak hash or a
// non-cryptographic random number here is a real weakness.
var securityWords = []string{"password", "passwd", "pwd", "secret", "token", "sign", "auth", "credential",
	"session", "nonce", "salt", "otp", "apikey", "api_key", "csrf", "verify", "hmac", "cipher", "encrypt", "private"}

// benignWords mark non-security uses of hashes: cache keys, checksums,
// content addressing, where MD5 or SHA-1 is acceptable.
var benignWords = []string{"checksum", "etag", "cache", "fingerprint", "dedup", "filehash", "file_hash", "content_hash",
	"digest_of_file", "gravatar", "shard", "bucket", "partition", "color", "colour", "sample", "shuffle", "jitter",
	"backoff", "mock", "fake", "seed", "random_name", "tempname", "temp"}

// Words returns the names around an expression: the enclosing
// function, the targets it is assigned to, and the names passed to it.
func Words(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) string {
	var b strings.Builder
	if fn != nil {
		b.WriteString(fn.Name)
		b.WriteByte(' ')
	}
	if s != nil {
		for _, l := range s.Lhs {
			b.WriteString(ir.Dotted(l))
			b.WriteByte(' ')
		}
		if s.Kind == ir.Return && fn != nil {
			b.WriteString(fn.Name)
		}
	}
	if e != nil {
		if e.Kind == ir.Call {
			b.WriteString(ir.Dotted(e.X))
			b.WriteByte(' ')
		}
		for _, a := range e.Args {
			collectNames(&b, a, 0)
		}
	}
	return b.String()
}

func collectNames(b *strings.Builder, e *ir.Expr, depth int) {
	if e == nil || depth > 4 {
		return
	}
	if d := ir.Dotted(e); d != "" {
		b.WriteString(d)
		b.WriteByte(' ')
	}
	if e.Kind == ir.StrLit && len(e.Value) < 40 {
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	for _, a := range e.Args {
		collectNames(b, a, depth+1)
	}
	collectNames(b, e.X, depth+1)
}

// Sensitive reports whether the words suggest a security purpose.
func Sensitive(words string) bool { return containsAny(words, securityWords) }

// Benign reports whether the words suggest a non-security purpose.
func Benign(words string) bool { return containsAny(words, benignWords) }

func containsAny(s string, words []string) bool {
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// hasToken reports whether any identifier in words, split at
// non-letters and camelCase humps, equals one of the short tokens: "id"
// must not match "valid" or "width".
func hasToken(words string, tokens ...string) bool {
	want := map[string]bool{}
	for _, t := range tokens {
		want[t] = true
	}
	var cur strings.Builder
	flush := func() bool {
		ok := want[strings.ToLower(cur.String())]
		cur.Reset()
		return ok
	}
	prevLower := false
	for _, r := range words {
		isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		switch {
		case !isLetter:
			if flush() {
				return true
			}
			prevLower = false
			continue
		case r >= 'A' && r <= 'Z' && prevLower:
			if flush() {
				return true
			}
		}
		cur.WriteRune(r)
		prevLower = r >= 'a' && r <= 'z'
	}
	return flush()
}

// DigestUse follows where a hash computed by e (in statement s of fn)
// goes: the calls s wraps it in, and the later statements of fn that use a
// variable s assigns (a hash object updated and read, a digest passed on),
// one assignment further at most. It returns their names, and the first
// name that says password, token or the like with its line ("" and 0 when
// none does): `user.setPassword(h.Sum(nil))` two lines on makes an MD5 a
// password hash even when nothing around the call says so.
func DigestUse(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) (words, sensitive string, line int) {
	if fn == nil || s == nil {
		return "", "", 0
	}
	var b strings.Builder
	note := func(name string, at int) {
		b.WriteString(name)
		b.WriteByte(' ')
		if sensitive == "" && Sensitive(name) {
			sensitive, line = name, at
		}
	}
	// Calls that take the hash's result as an argument, in the same statement.
	var enclosing func(x *ir.Expr, depth int) bool
	enclosing = func(x *ir.Expr, depth int) bool {
		if x == nil || depth > 50 {
			return false
		}
		if x == e {
			return true
		}
		for _, a := range append([]*ir.Expr{x.X}, x.Args...) {
			if enclosing(a, depth+1) {
				if x.Kind == ir.Call && a != x.X {
					note(ir.Dotted(x.X), s.Pos.Line)
				}
				return true
			}
		}
		return false
	}
	for _, x := range append([]*ir.Expr{s.X}, s.Rhs...) {
		enclosing(x, 0)
	}
	tracked := map[string]int{} // name -> assignment hops from the hash
	for _, l := range s.Lhs {
		if d := ir.Dotted(l); d != "" && d != "_" {
			tracked[d] = 0
		}
	}
	if len(tracked) == 0 {
		return b.String(), sensitive, line
	}
	var walk func(ss []*ir.Stmt)
	walk = func(ss []*ir.Stmt) {
		for _, st := range ss {
			if st.Pos.Start > s.Pos.Start {
				if hop, ok := usesAny(st, tracked); ok {
					for _, x := range append(append([]*ir.Expr{st.X}, st.Rhs...), st.Lhs...) {
						calleeNames(x, 0, func(n string) { note(n, st.Pos.Line) })
					}
					for _, l := range st.Lhs {
						if d := ir.Dotted(l); d != "" && d != "_" {
							note(d, st.Pos.Line)
							if _, seen := tracked[d]; !seen && hop < 1 && st.Kind == ir.Assign {
								tracked[d] = hop + 1
							}
						}
					}
				}
			}
			walk(st.Body)
			walk(st.Else)
		}
	}
	walk(fn.Body)
	return b.String(), sensitive, line
}

// usesAny reports whether a statement reads one of the tracked names (or
// a field or method of one), with the fewest hops among those it reads.
func usesAny(st *ir.Stmt, tracked map[string]int) (int, bool) {
	best, found := 0, false
	var visit func(x *ir.Expr, depth int)
	visit = func(x *ir.Expr, depth int) {
		if x == nil || depth > 50 {
			return
		}
		if d := ir.Dotted(x); d != "" {
			for name, hop := range tracked {
				if d == name || strings.HasPrefix(d, name+".") {
					if !found || hop < best {
						best, found = hop, true
					}
				}
			}
		}
		visit(x.X, depth+1)
		for _, a := range x.Args {
			visit(a, depth+1)
		}
	}
	visit(st.X, 0)
	for _, x := range st.Rhs {
		visit(x, 0)
	}
	for _, x := range st.Lhs {
		if x.Kind != ir.Name { // a field or element written is read too
			visit(x, 0)
		}
	}
	return best, found
}

// calleeNames reports the callees of the calls in x.
func calleeNames(x *ir.Expr, depth int, fn func(string)) {
	if x == nil || depth > 50 {
		return
	}
	if x.Kind == ir.Call {
		if d := ir.Dotted(x.X); d != "" {
			fn(d)
		}
	}
	calleeNames(x.X, depth+1, fn)
	for _, a := range x.Args {
		calleeNames(a, depth+1, fn)
	}
}
