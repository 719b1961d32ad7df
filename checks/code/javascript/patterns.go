package javascript

import (
	"fmt"
	"regexp"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

func zeroString(v *ir.Expr) bool {
	if s, ok := ir.StringValue(v); ok {
		return s == "0"
	}
	return v != nil && v.Kind == ir.NumLit && v.Value == "0"
}

// oldTLS matches Node's names for SSL 3 and TLS 1.0/1.1: the minVersion
// values and the secureProtocol methods.
func oldTLS(v *ir.Expr) bool {
	s, ok := ir.StringValue(v)
	if !ok {
		return false
	}
	switch s {
	case "TLSv1", "TLSv1.1", "SSLv3", "TLSv1_method", "TLSv1_1_method", "SSLv3_method",
		"TLSv1_client_method", "TLSv1_server_method", "TLSv1_1_client_method", "TLSv1_1_server_method":
		return true
	}
	return false
}

// weakAlgo matches Node cipher names built on broken ciphers or ECB.
var weakAlgo = regexp.MustCompile(`(?i)^(des|des-.*|des3|3des|des-ede.*|rc4.*|rc2.*|bf.*|blowfish.*|.*-ecb|idea.*|cast5.*)$`)

// Patterns are the JavaScript pattern rules; audit adds lower-confidence ones.
func Patterns(audit bool) []engine.Pattern {
	jwtVerify := map[string]bool{"jsonwebtoken.verify": true, "*.verify": true, "jose.jwtVerify": true}
	return []engine.Pattern{
		rulekit.Settings("tls-verify-disabled", []rulekit.BadSetting{
			{Key: "rejectUnauthorized", Bad: rulekit.Is(ir.BoolLit, "false"), Assign: true, Fix: "true",
				Message: "rejectUnauthorized: false turns off TLS certificate checks, so anyone on the network path can impersonate the server"},
			{Key: "strictSSL", Bad: rulekit.Is(ir.BoolLit, "false"), Fix: "true",
				Message: "strictSSL: false turns off TLS certificate checks"},
			{Key: "NODE_TLS_REJECT_UNAUTHORIZED", Bad: zeroString, Assign: true,
				Message: "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every TLS connection of the process"},
		}),
		rulekit.Settings("tls-old-version", []rulekit.BadSetting{
			{Key: "minVersion", Bad: oldTLS, Fix: `"TLSv1.2"`,
				Message: "minVersion allows a TLS version with known attacks (TLS 1.0/1.1, deprecated by RFC 8996); use TLSv1.2 or later"},
			{Key: "secureProtocol", Bad: oldTLS,
				Message: "secureProtocol pins SSL 3 or TLS 1.0/1.1, which have known attacks; set minVersion: \"TLSv1.2\" instead"},
		}),
		rulekit.WeakHashes("weak-hash", map[string]string{"crypto.createHash": "", "crypto-js.MD5": "MD5", "crypto-js.SHA1": "SHA-1",
			"md5": "MD5", "sha1": "SHA-1"}, nil, audit),
		weakCipher(),
		rulekit.InsecureRandom("insecure-random", nil, map[string]bool{"Math.random": true}, audit),
		rulekit.Settings("jwt-none", []rulekit.BadSetting{
			{Key: "algorithms", Bad: rulekit.NoneAlgorithm, In: jwtVerify, Message: "the JWT \"none\" algorithm is accepted, so unsigned tokens are valid"},
			{Key: "algorithm", Bad: rulekit.NoneAlgorithm, In: map[string]bool{"jsonwebtoken.sign": true, "*.sign": true}, Message: "the JWT is issued with the \"none\" algorithm, unsigned"},
		}),
		rulekit.CORS("cors-credentials-any-origin", map[string]bool{"cors": true, "@fastify/cors": true, "*.enableCors": true},
			[]string{"origin"}, []string{"credentials"}, false),
		rulekit.FileModes("world-writable", map[string]rulekit.ModeCall{
			"fs.chmod": rulekit.Chmod, "fs.chmodSync": rulekit.Chmod, "fs.fchmod": rulekit.Chmod, "fs.fchmodSync": rulekit.Chmod,
			"fs.lchmod": rulekit.Chmod, "fs.promises.chmod": rulekit.Chmod, "fs/promises.chmod": rulekit.Chmod,
			"fs.mkdir": rulekit.CreateDir, "fs.mkdirSync": rulekit.CreateDir, "fs.writeFile": rulekit.CreateFile,
			"fs.writeFileSync": rulekit.CreateFile, "fs.open": rulekit.CreateFile, "fs.openSync": rulekit.CreateFile,
			"fs.promises.writeFile": rulekit.CreateFile, "fs/promises.writeFile": rulekit.CreateFile,
		}, map[string]int{"fs.chmod": 1, "fs.chmodSync": 1, "fs.fchmod": 1, "fs.fchmodSync": 1, "fs.lchmod": 1, "fs.promises.chmod": 1,
			"fs/promises.chmod": 1, "fs.mkdir": 1, "fs.mkdirSync": 1, "fs.writeFile": 2, "fs.writeFileSync": 2, "fs.open": 2,
			"fs.openSync": 2, "fs.promises.writeFile": 2, "fs/promises.writeFile": 2}, "mode", audit),
		rulekit.BindAll("bind-all-interfaces", map[string]int{"*.listen": 1}, "host", audit),
		rulekit.Calls("unsafe-deserialization", map[string]string{
			"node-serialize.unserialize":  "runs functions embedded in the data (IIFE payloads); never use it on input",
			"serialize-to-js.deserialize": "evaluates the data as JavaScript",
		}),
	}
}

// weakCipher flags crypto.createCipheriv with DES, RC4, Blowfish or ECB,
// and the deprecated crypto.createCipher (no IV, MD5 key derivation).
func weakCipher() engine.Pattern {
	return engine.Pattern{Rule: "weak-cipher", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		name := f.Callee(e)
		switch name {
		case "crypto.createCipheriv", "crypto.createDecipheriv", "crypto.createCipher", "crypto.createDecipher":
		default:
			return nil
		}
		algo, ok := ir.StringValue(ir.Positional(e, 0))
		if ok && weakAlgo.MatchString(algo) {
			return []engine.PatternHit{{Pos: e.Pos, Message: fmt.Sprintf("cipher %q is broken (DES, RC4, Blowfish or ECB mode)", algo)}}
		}
		if name == "crypto.createCipher" || name == "crypto.createDecipher" {
			return []engine.PatternHit{{Pos: e.Pos, Message: name + " derives the key with MD5 and no salt or IV; use createCipheriv with a random IV"}}
		}
		return nil
	}}
}
