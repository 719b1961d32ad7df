package secrets

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// corpus builds a deterministic tree of realistic source files of roughly
// size bytes, with a few planted secrets (about one file in 40).
type corpus struct {
	rnd   *rand.Rand
	files map[string]string
}

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upper2 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexdig = "0123456789abcdef"
)

func newCorpus(seed uint64) *corpus {
	return &corpus{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), files: map[string]string{}}
}

func (c *corpus) str(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[c.rnd.IntN(len(alphabet))]
	}
	return string(b)
}

func (c *corpus) word() string {
	words := []string{"user", "order", "client", "session", "config", "cache", "request", "handler", "token", "account",
		"payment", "invoice", "queue", "worker", "report", "api", "auth", "key", "secret", "buffer", "stream", "index"}
	return words[c.rnd.IntN(len(words))]
}

func (c *corpus) ident() string {
	w := c.word() + strings.ToUpper(c.word()[:1]) + c.word()[1:]
	return w
}

// plantedSecret returns a line assigning a realistic (random) secret.
func (c *corpus) plantedSecret() string {
	switch c.rnd.IntN(8) {
	case 0:
		return fmt.Sprintf(`	awsKey := "%s"`, join("AKIA", c.str(upper2, 16)))
	case 1:
		return fmt.Sprintf(`	ghToken := "%s"`, join("ghp", "_", c.str(alnum, 36)))
	case 2:
		return fmt.Sprintf(`	stripe.Key = "%s"`, join("sk_", "live_", c.str(alnum, 24)))
	case 3:
		return fmt.Sprintf(`	webhook := "%s"`, join("https://hooks.slack", ".com/services/T", c.str(upper2, 8), "/B", c.str(upper2, 8), "/", c.str(alnum, 24)))
	case 4:
		return fmt.Sprintf(`	dbPassword := "%s"`, c.str(alnum, 22))
	case 5:
		return fmt.Sprintf(`	gcpKey := "%s"`, join("AIza", c.str(alnum+"_-", 35)))
	case 6:
		return fmt.Sprintf(`	dsn := "%s"`, join("postgres://app:", c.str(alnum, 18), "@db.example.com:5432/app"))
	default:
		return fmt.Sprintf(`	apiToken := "%s"`, join("xoxb-", c.str("0123456789", 11), "-", c.str("0123456789", 12), "-", c.str(alnum, 24)))
	}
}

func (c *corpus) goFile(lines int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"os\"\n)\n\n", c.word())
	for b.Len() < lines*40 {
		name := c.ident()
		fmt.Fprintf(&b, "// %s handles the %s for a %s; see the %s key docs.\n", name, c.word(), c.word(), c.word())
		fmt.Fprintf(&b, "func %s(ctx context.Context, %s string, apiKey string) (string, error) {\n", name, c.word())
		fmt.Fprintf(&b, "\ttoken := os.Getenv(\"%s_API_KEY\")\n", strings.ToUpper(c.word()))
		fmt.Fprintf(&b, "\tif token == \"\" {\n\t\treturn \"\", fmt.Errorf(\"missing %s token for %%s\", %s)\n\t}\n", c.word(), "apiKey")
		fmt.Fprintf(&b, "\tdigest := \"%s\" // sha256 of the %s\n", c.str(hexdig, 64), c.word())
		if c.rnd.IntN(15) == 0 {
			fmt.Fprintf(&b, "\tcacheKey := \"%s\"\n", c.str(hexdig, 40))
		}
		fmt.Fprintf(&b, "\tcommit := \"%s\"\n", c.str(hexdig, 40))
		fmt.Fprintf(&b, "\tauthHeader := fmt.Sprintf(\"Bearer %%s\", token)\n")
		fmt.Fprintf(&b, "\t_ = digest + commit + authHeader\n")
		if c.rnd.IntN(60) == 0 {
			b.WriteString(c.plantedSecret() + "\n\t_ = 0\n")
		}
		fmt.Fprintf(&b, "\treturn %s + \"-%s\", nil\n}\n\n", c.word(), c.word())
	}
	return b.String()
}

func (c *corpus) jsFile(lines int) string {
	var b strings.Builder
	b.WriteString("import { client } from './client';\n\n")
	for b.Len() < lines*40 {
		fn := c.ident()
		fmt.Fprintf(&b, "export async function %s(apiKey, options = {}) {\n", fn)
		fmt.Fprintf(&b, "  const token = process.env.%s_TOKEN || options.token;\n", strings.ToUpper(c.word()))
		fmt.Fprintf(&b, "  const res = await client.get(`/v1/%s/${options.id}`, { headers: { Authorization: `Bearer ${token}` } });\n", c.word())
		fmt.Fprintf(&b, "  const uuid = '%s-%s-%s-%s-%s';\n", c.str(hexdig, 8), c.str(hexdig, 4), c.str(hexdig, 4), c.str(hexdig, 4), c.str(hexdig, 12))
		if c.rnd.IntN(80) == 0 {
			b.WriteString("  const apiSecret = '" + c.str(alnum, 32) + "';\n")
		}
		fmt.Fprintf(&b, "  return res.data.%s;\n}\n\n", c.word())
	}
	return b.String()
}

func (c *corpus) pyFile(lines int) string {
	var b strings.Builder
	b.WriteString("import os\nimport requests\n\n")
	for b.Len() < lines*40 {
		fmt.Fprintf(&b, "def get_%s_by_%s(session, %s_id, api_key=None):\n", c.word(), c.word(), c.word())
		fmt.Fprintf(&b, "    api_key = api_key or os.environ[\"%s_API_KEY\"]\n", strings.ToUpper(c.word()))
		fmt.Fprintf(&b, "    checksum = \"%s\"\n", c.str(hexdig, 128))
		fmt.Fprintf(&b, "    return session.get(f\"/api/%s/{%s_id}\", headers={\"X-Api-Key\": api_key})\n\n", c.word(), c.word())
	}
	return b.String()
}

func (c *corpus) yamlFile(lines int) string {
	var b strings.Builder
	b.WriteString("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n")
	for b.Len() < lines*40 {
		fmt.Fprintf(&b, "        - name: %s\n          image: registry.example.com/%s@sha256:%s\n          env:\n", c.word(), c.word(), c.str(hexdig, 64))
		fmt.Fprintf(&b, "            - name: %s_TOKEN\n              valueFrom:\n                secretKeyRef: {name: %s, key: token}\n", strings.ToUpper(c.word()), c.word())
		fmt.Fprintf(&b, "            - name: PASSWORD\n              value: ${DB_PASSWORD}\n")
	}
	return b.String()
}

func (c *corpus) lockFile(lines int) string {
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"app\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n")
	for b.Len() < lines*40 {
		raw := make([]byte, 64)
		for i := range raw {
			raw[i] = byte(c.rnd.IntN(256))
		}
		fmt.Fprintf(&b, "    \"node_modules/%s-%s\": {\n      \"version\": \"1.%d.%d\",\n      \"resolved\": \"https://registry.npmjs.org/%s/-/%s-1.0.0.tgz\",\n      \"integrity\": \"sha512-%s\"\n    },\n",
			c.word(), c.word(), c.rnd.IntN(20), c.rnd.IntN(20), c.word(), c.word(), base64.StdEncoding.EncodeToString(raw))
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

func (c *corpus) jsonFile(lines int) string {
	var b strings.Builder
	b.WriteString("{\n")
	for b.Len() < lines*40 {
		fmt.Fprintf(&b, "  \"%s_%s\": {\"id\": \"%s\", \"checksum\": \"%s\", \"enabled\": true},\n", c.word(), c.word(), c.str(hexdig, 32), c.str(alnum, 44))
	}
	b.WriteString("  \"end\": null\n}\n")
	return b.String()
}

// generate fills the corpus up to about size bytes.
func (c *corpus) generate(size int) map[string]string {
	total := 0
	for i := 0; total < size; i++ {
		lines := 50 + c.rnd.IntN(400)
		dir := fmt.Sprintf("pkg%02d/%s", i%37, c.word())
		var p, body string
		switch i % 10 {
		case 0, 1, 2, 3:
			p, body = fmt.Sprintf("%s/%s_%d.go", dir, c.word(), i), c.goFile(lines)
		case 4, 5:
			p, body = fmt.Sprintf("web/%s/%s_%d.ts", c.word(), c.word(), i), c.jsFile(lines)
		case 6:
			p, body = fmt.Sprintf("py/%s/%s_%d.py", c.word(), c.word(), i), c.pyFile(lines)
		case 7:
			p, body = fmt.Sprintf("deploy/%s_%d.yaml", c.word(), i), c.yamlFile(lines)
		case 8:
			p, body = fmt.Sprintf("data/%s_%d.json", c.word(), i), c.jsonFile(lines)
		default:
			p, body = fmt.Sprintf("web/app%d/package-lock.json", i), c.lockFile(lines)
		}
		c.files[p] = body
		total += len(body)
	}
	return c.files
}
