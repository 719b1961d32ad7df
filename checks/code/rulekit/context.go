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
