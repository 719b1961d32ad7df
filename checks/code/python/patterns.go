package python

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

var (
	isTrue  = rulekit.Is(ir.BoolLit, "true")
	isFalse = rulekit.Is(ir.BoolLit, "false")
)

func certNone(v *ir.Expr) bool {
	return v != nil && v.Kind == ir.Attr && v.Name == "CERT_NONE"
}

// Patterns are the Python pattern rules; audit adds lower-confidence ones.
func Patterns(audit bool) []engine.Pattern {
	jwtCalls := map[string]bool{"jwt.decode": true, "jwt.api_jwt.decode": true, "jose.jwt.decode": true}
	return []engine.Pattern{
		rulekit.Settings("tls-verify-disabled", []rulekit.BadSetting{
			{Key: "verify", Bad: isFalse, Fix: "True", In: map[string]bool{"*.get": true, "*.post": true, "*.put": true, "*.delete": true,
				"*.head": true, "*.patch": true, "*.request": true, "*.options": true, "*.Session": true, "*.Client": true, "*.AsyncClient": true,
				"*.stream": true, "*.send": true, "*.urlopen": true},
				Message: "verify=False turns off TLS certificate checks, so anyone on the network path can impersonate the server"},
			{Key: "check_hostname", Bad: isFalse, OnlyAssign: true, Message: "check_hostname = False accepts certificates issued for any host"},
			{Key: "verify_mode", Bad: certNone, OnlyAssign: true, Message: "verify_mode = CERT_NONE accepts any certificate"},
			{Key: "cert_reqs", Bad: certNone, Message: "cert_reqs=CERT_NONE accepts any certificate"},
		}),
		rulekit.Calls("tls-verify-disabled", map[string]string{
			"ssl._create_unverified_context": "makes a TLS context that accepts any certificate",
		}),
		rulekit.WeakHashes("weak-hash", map[string]string{
			"hashlib.md5": "MD5", "hashlib.sha1": "SHA-1", "hashlib.new": "", "Crypto.Hash.MD5.new": "MD5", "Crypto.Hash.SHA.new": "SHA-1",
			"Crypto.Hash.SHA1.new": "SHA-1", "Cryptodome.Hash.MD5.new": "MD5", "Cryptodome.Hash.SHA1.new": "SHA-1",
			"cryptography.hazmat.primitives.hashes.MD5": "MD5", "cryptography.hazmat.primitives.hashes.SHA1": "SHA-1",
		}, func(call *ir.Expr) bool { return ir.IsFalse(ir.Keyword(call, "usedforsecurity")) }, audit),
		rulekit.Calls("weak-cipher", weakCiphers()),
		ecbMode(),
		rulekit.InsecureRandom("insecure-random", nil, set("random.random", "random.randint", "random.choice", "random.choices",
			"random.randrange", "random.getrandbits", "random.sample", "random.uniform", "random.randbytes"), audit),
		rulekit.Settings("jwt-none", []rulekit.BadSetting{
			{Key: "verify_signature", Bad: isFalse, Message: "verify_signature: False decodes the JWT without checking its signature; anyone can forge its claims"},
			{Key: "verify", Bad: isFalse, In: jwtCalls, Message: "verify=False decodes the JWT without checking its signature; anyone can forge its claims"},
			{Key: "algorithms", Bad: rulekit.NoneAlgorithm, In: jwtCalls, Message: "the JWT \"none\" algorithm is accepted, so unsigned tokens are valid"},
			{Key: "algorithm", Bad: rulekit.NoneAlgorithm, In: map[string]bool{"jwt.encode": true}, Message: "the JWT is issued with the \"none\" algorithm, unsigned"},
		}),
		rulekit.Settings("debug-enabled", []rulekit.BadSetting{
			{Key: "debug", Bad: isTrue, In: map[string]bool{"*.run": true}, Fix: "False",
				Message: "debug=True runs the Werkzeug debugger, which lets anyone who reaches the app execute Python"},
			{Key: "debug", Bad: isTrue, OnlyAssign: true, Message: "debug mode is switched on; its debugger and error pages expose code execution and secrets"},
			{Key: "DEBUG", Bad: isTrue, OnlyAssign: true, Message: "DEBUG = True exposes settings, source and SQL on error pages"},
		}),
		rulekit.CORS("cors-credentials-any-origin", map[string]bool{"flask_cors.CORS": true, "flask_cors.cross_origin": true},
			[]string{"origins", "origin", "resources"}, []string{"supports_credentials"}, true),
		rulekit.CORS("cors-credentials-any-origin", map[string]bool{"*.add_middleware": true},
			[]string{"allow_origins"}, []string{"allow_credentials"}, false),
		rulekit.FileModes("world-writable", map[string]rulekit.ModeCall{
			"os.chmod": rulekit.Chmod, "os.fchmod": rulekit.Chmod, "os.lchmod": rulekit.Chmod, "*.chmod": rulekit.Chmod,
			"os.open": rulekit.CreateFile, "os.mkdir": rulekit.CreateDir, "os.makedirs": rulekit.CreateDir, "*.mkdir": rulekit.CreateDir,
		}, map[string]int{"os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1, "*.chmod": 0, "os.open": 2, "os.mkdir": 1, "os.makedirs": 1, "*.mkdir": 0},
			"mode", audit),
		rulekit.BindAll("bind-all-interfaces", map[string]int{"*.bind": 0, "*.run": 99, "uvicorn.run": 99}, "host", audit),
		yamlLoad(),
		oldProtocols(),
		rulekit.Calls("unsafe-deserialization", map[string]string{
			"yaml.unsafe_load":     "constructs arbitrary Python objects; loading untrusted YAML runs code",
			"yaml.unsafe_load_all": "constructs arbitrary Python objects; loading untrusted YAML runs code",
		}),
	}
}

func weakCiphers() map[string]string {
	m := map[string]string{}
	for _, pkg := range []string{"Crypto.Cipher", "Cryptodome.Cipher"} {
		m[pkg+".DES.new"] = "DES has a 56-bit key that is brute-forced in hours"
		m[pkg+".DES3.new"] = "3DES is deprecated (64-bit blocks, Sweet32)"
		m[pkg+".ARC4.new"] = "RC4's keystream biases leak plaintext"
		m[pkg+".ARC2.new"] = "RC2 is broken"
		m[pkg+".Blowfish.new"] = "Blowfish's 64-bit blocks are open to birthday attacks"
	}
	alg := "cryptography.hazmat.primitives.ciphers.algorithms."
	m[alg+"ARC4"] = "RC4's keystream biases leak plaintext"
	m[alg+"TripleDES"] = "3DES is deprecated (64-bit blocks, Sweet32)"
	m[alg+"Blowfish"] = "Blowfish's 64-bit blocks are open to birthday attacks"
	m[alg+"IDEA"] = "IDEA's 64-bit blocks are open to birthday attacks"
	m["cryptography.hazmat.primitives.ciphers.modes.ECB"] = "ECB mode encrypts equal blocks to equal ciphertext, leaking patterns"
	return m
}

// ecbMode flags AES.MODE_ECB in PyCryptodome.
func ecbMode() engine.Pattern {
	return engine.Pattern{Rule: "weak-cipher", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Attr || e.Name != "MODE_ECB" {
			return nil
		}
		return []engine.PatternHit{{Pos: e.Pos, Message: "ECB mode encrypts equal blocks to equal ciphertext, leaking patterns"}}
	}}
}

// yamlLoad flags yaml.load without a safe loader, with yaml.safe_load as
// the fix.
func yamlLoad() engine.Pattern {
	return engine.Pattern{Rule: "unsafe-deserialization", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Call {
			return nil
		}
		name := f.Callee(e)
		if name != "yaml.load" && name != "yaml.load_all" {
			return nil
		}
		if _, lit := ir.StringValue(ir.Positional(e, 0)); lit {
			return nil // a literal document is not attacker data
		}
		loader := ir.Keyword(e, "Loader")
		if loader == nil {
			loader = ir.Positional(e, 1)
		}
		if loader != nil {
			l := ir.Dotted(loader)
			if strings.Contains(l, "Safe") || strings.Contains(l, "BaseLoader") {
				return nil
			}
		}
		h := engine.PatternHit{Pos: e.Pos, Message: "yaml.load without SafeLoader can construct arbitrary Python objects; untrusted YAML runs code"}
		if arg := ir.Positional(e, 0); arg != nil && len(e.Args) <= 2 && e.Pos.Line == e.Pos.EndLine {
			safe := strings.TrimSuffix(f.Text(e.X.Pos), path.Ext(f.Text(e.X.Pos))) + ".safe_" + strings.TrimPrefix(name, "yaml.")
			h.Fix = &engine.Edit{Pos: e.Pos, Text: safe + "(" + f.Text(arg.Pos) + ")"}
		}
		return []engine.PatternHit{h}
	}}
}

// oldProtocols flags SSL 2/3 and TLS 1.0/1.1 protocol constants.
func oldProtocols() engine.Pattern {
	old := map[string]bool{"PROTOCOL_SSLv2": true, "PROTOCOL_SSLv3": true, "PROTOCOL_TLSv1": true, "PROTOCOL_TLSv1_1": true,
		"SSLv2_METHOD": true, "SSLv3_METHOD": true, "SSLv23_METHOD": true, "TLSv1_METHOD": true, "TLSv1_1_METHOD": true,
		"TLSv1": true, "TLSv1_1": true, "SSLv3": true}
	return engine.Pattern{Rule: "tls-old-version", Match: func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []engine.PatternHit {
		if e.Kind != ir.Attr || !old[e.Name] {
			return nil
		}
		q := f.Qualified(e)
		if !strings.HasPrefix(q, "ssl.") && !strings.HasPrefix(q, "OpenSSL.") && !strings.Contains(q, "TLSVersion") {
			return nil
		}
		return []engine.PatternHit{{Pos: e.Pos, Message: e.Name + " selects a protocol version with known attacks; use TLS 1.2 or later"}}
	}}
}
