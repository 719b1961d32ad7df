package code

import "github.com/wardenbot/warden/checks"

// ruleDoc documents one rule; cwe is the primary weakness.
type ruleDoc struct {
	name        string
	title       string
	severity    checks.Severity
	cwe         string
	description string
	remediation string
}

const helpBase = "https://github.com/wardenbot/warden/blob/main/checks/code/README.md#"

// ruleDocs lists every rule of the code check. Taint rules name a source and
// a sink in each finding; pattern rules name the setting or call.
var ruleDocs = []ruleDoc{
	{"sql-injection", "SQL query built from untrusted input", checks.SeverityHigh, "CWE-89",
		"Data from the request (or the command line) is concatenated or formatted into a SQL statement, so a caller can change the statement: read other rows, bypass a login, drop tables.",
		"Pass values as query parameters (`db.Query(\"… WHERE id = ?\", id)`, `cursor.execute(\"… %s\", (id,))`) and never build SQL text from input; allow-list identifiers such as column names."},
	{"command-injection", "OS command built from untrusted input", checks.SeverityCritical, "CWE-78",
		"Untrusted data reaches a shell command line or chooses the program to run, so a caller can run arbitrary commands on the server.",
		"Run the program directly with an argument list and no shell (`exec.Command(\"ls\", dir)`, `subprocess.run([\"ls\", d])`, `execFile`), and allow-list which programs may run."},
	{"argument-injection", "Untrusted input passed where a program reads options", checks.SeverityHigh, "CWE-88",
		"Untrusted data is passed as an argument to a program whose options run commands or write files (git `--upload-pack=`, ssh `-oProxyCommand=`, curl `-o`, tar `--to-command=`, find `-exec`). No shell is involved, but a value beginning with `-` becomes an option.",
		"Put `--` before untrusted arguments (`git log -- <path>`), give the value a fixed prefix (`refs/heads/` + name, `./` + file), or reject values that begin with `-`."},
	{"path-traversal", "File path built from untrusted input", checks.SeverityHigh, "CWE-22",
		"Untrusted data is used as, or inside, a file path; `../` sequences or an absolute path let a caller read or write files outside the intended directory.",
		"Reduce the name to its base (`filepath.Base`, `os.path.basename`, `secure_filename`) or clean the joined path and check it still starts with the base directory before use."},
	{"ssrf", "Outbound request to a URL from untrusted input", checks.SeverityHigh, "CWE-918",
		"The server fetches a URL whose scheme or host comes from the caller, who can make it reach internal services, cloud metadata endpoints or other hosts on the private network.",
		"Fix the scheme and host in code and let input choose only a path or query value, or check the host against an allow-list before connecting."},
	{"xss", "HTML response built from untrusted input", checks.SeverityMedium, "CWE-79",
		"Untrusted data is written into an HTML response or the DOM without escaping, so a caller can run script in other users' browsers.",
		"Render through an auto-escaping template, or escape the value (`html.EscapeString`, `markupsafe.escape`, `textContent` instead of `innerHTML`)."},
	{"open-redirect", "Redirect to a URL from untrusted input", checks.SeverityMedium, "CWE-601",
		"The response redirects to a location taken from the request, so a link on this site can send users to a phishing page.",
		"Redirect only to local paths or allow-listed hosts (`url_has_allowed_host_and_scheme`, a fixed map of targets)."},
	{"code-injection", "Code evaluated from untrusted input", checks.SeverityCritical, "CWE-95",
		"Untrusted data reaches eval, exec, `new Function` or a similar evaluator, so a caller can run arbitrary code in the process.",
		"Never evaluate input. Parse data with a data parser (`json.loads`, `ast.literal_eval`, `JSON.parse`) or dispatch through a fixed table of functions."},
	{"unsafe-deserialization", "Unsafe deserialisation", checks.SeverityHigh, "CWE-502",
		"pickle, yaml.load with a full loader, node-serialize and similar deserialisers construct arbitrary objects and can run code while loading untrusted data.",
		"Use a data-only format or loader: `yaml.safe_load`, `json`, `JSON.parse`; never unpickle data a caller can influence."},
	{"template-injection", "Template source built from untrusted input", checks.SeverityHigh, "CWE-1336",
		"Untrusted data is compiled as a template (`render_template_string`, `Template(x)`), so a caller can run template expressions, and usually code, on the server.",
		"Keep template source constant and pass input as template variables."},
	{"tls-verify-disabled", "TLS certificate verification disabled", checks.SeverityHigh, "CWE-295",
		"The client accepts any certificate, so anyone on the network path can read and change the traffic.",
		"Remove the setting; trust a private CA by adding it to the trust store (`RootCAs`, `verify=\"/path/ca.pem\"`, `ca:`) instead."},
	{"tls-old-version", "TLS version below 1.2 allowed", checks.SeverityMedium, "CWE-327",
		"TLS 1.0 and 1.1 (and SSL 3) have practical attacks and are deprecated by RFC 8996.",
		"Set the minimum version to TLS 1.2 or later."},
	{"weak-hash", "MD5 or SHA-1 used where security depends on it", checks.SeverityMedium, "CWE-328",
		"MD5 and SHA-1 have practical collisions and are far too fast for passwords; a signature or password hash built on them can be forged or cracked.",
		"Hash passwords with bcrypt, scrypt or Argon2; use SHA-256 or better (or HMAC-SHA-256) for integrity. Mark a non-security use explicitly (`usedforsecurity=False`) or suppress with `warden:allow code/weak-hash`."},
	{"weak-cipher", "Broken cipher or mode", checks.SeverityMedium, "CWE-327",
		"DES, 3DES, RC4, Blowfish and ECB mode do not protect confidentiality against today's attacks.",
		"Use an authenticated cipher: AES-GCM or ChaCha20-Poly1305."},
	{"insecure-random", "Predictable random numbers used for secrets", checks.SeverityMedium, "CWE-338",
		"math/rand, Python's random module and Math.random are predictable; tokens, passwords or keys derived from them can be guessed.",
		"Use a cryptographic generator: `crypto/rand`, Python `secrets`, `crypto.randomBytes`/`crypto.randomUUID`."},
	{"jwt-none", "JWT signature not verified", checks.SeverityHigh, "CWE-347",
		"Accepting the `none` algorithm or decoding without verification lets anyone forge a token's claims.",
		"Verify every token with an explicit list of expected algorithms and the right key."},
	{"debug-enabled", "Debug mode enabled", checks.SeverityMedium, "CWE-489",
		"Flask's debugger runs arbitrary Python from the browser; Django's DEBUG pages leak settings and source.",
		"Read the debug switch from the environment and keep it off in production."},
	{"cors-credentials-any-origin", "CORS allows any origin with credentials", checks.SeverityMedium, "CWE-942",
		"Allowing every origin together with credentials lets any web site make authenticated requests as the visitor and read the answers.",
		"List the trusted origins explicitly, or drop credentials for a public API."},
	{"cors-reflected-origin", "CORS allows whichever origin the request names", checks.SeverityMedium, "CWE-942",
		"The response's Access-Control-Allow-Origin is copied from the request, so every web site is allowed; with credentials allowed too, any site can make requests as the visitor and read the answers.",
		"Compare the request's Origin with a list of trusted origins and send it back only when it is on the list (`if origin in ALLOWED`, `allowed.includes(origin)`)."},
	{"world-writable", "World-writable file permissions", checks.SeverityMedium, "CWE-732",
		"Any local user or process can change a world-writable file or directory: config, scripts or data.",
		"Drop the write bit for others (0644 for files, 0755 for directories, or tighter)."},
	{"bind-all-interfaces", "Service bound to all network interfaces", checks.SeverityMedium, "CWE-1327",
		"Listening on 0.0.0.0 exposes the service on every network the host is on; for an admin, debug or metrics endpoint that is usually unintended.",
		"Bind internal endpoints to 127.0.0.1 (or a private interface) and expose public ones deliberately."},
}

// docByName indexes ruleDocs.
var docByName = func() map[string]*ruleDoc {
	m := make(map[string]*ruleDoc, len(ruleDocs))
	for i := range ruleDocs {
		m[ruleDocs[i].name] = &ruleDocs[i]
	}
	return m
}()

func cweURL(cwe string) string {
	return "https://cwe.mitre.org/data/definitions/" + cwe[len("CWE-"):] + ".html"
}

// Rules documents every rule of the check.
func (c *Check) Rules() []checks.Rule {
	out := make([]checks.Rule, 0, len(ruleDocs))
	for _, d := range ruleDocs {
		out = append(out, checks.Rule{
			ID: "code/" + d.name, Title: d.title, Category: checks.CategoryCode, Severity: d.severity,
			Description: d.description, Remediation: d.remediation, HelpURI: helpBase + d.name,
			References: []string{d.cwe, cweURL(d.cwe)},
		})
	}
	return out
}
