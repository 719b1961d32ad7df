package secrets

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"
)

// TestSameOrBetterThanGitleaks runs a plain gitleaks detector (default
// config, default decode depth) over a generated corpus and asserts that
// every one of its findings is also a warden finding (same rule, file,
// line and secret).
func TestSameOrBetterThanGitleaks(t *testing.T) {
	files := newCorpus(42).generate(3 << 20)
	addTrickyFiles(files)
	c := newCheck(t, Options{})
	ours, _ := scanTree(t, c, memTree(files))
	type key struct {
		rule, path string
		line       int
		secretKey  string
	}
	have := map[key]bool{}
	for _, f := range ours {
		have[key{f.RuleID, f.Path, f.StartLine, f.Key}] = true
	}

	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	d.MaxDecodeDepth = maxDecodeDepth
	total := 0
	for _, p := range memTree(files).Paths() {
		for _, gf := range d.DetectContext(context.Background(), detect.Fragment{Raw: files[p], FilePath: p}) {
			total++
			k := key{"secrets/" + gf.RuleID, p, gf.StartLine + 1, secretKey(gf.Secret)}
			if !have[k] {
				t.Errorf("gitleaks found %s at %s:%d that warden missed", gf.RuleID, p, gf.StartLine+1)
			}
		}
	}
	if total < 20 {
		t.Fatalf("corpus too easy: gitleaks found only %d secrets", total)
	}
	t.Logf("gitleaks: %d findings; warden: %d findings", total, len(ours))
}

// addTrickyFiles adds cases that stress the windowing: a private key far
// from nothing else, secrets on the first and last line without a final
// newline, keywords split across lines, and encoded secrets.
func addTrickyFiles(files map[string]string) {
	c := newCorpus(7)
	var key strings.Builder
	key.WriteString(join("-----BEGIN RSA ", "PRIVATE KEY-----\n"))
	for i := 0; i < 12; i++ {
		key.WriteString(c.str(alnum+"+/", 64) + "\n")
	}
	key.WriteString(join("-----END RSA ", "PRIVATE KEY-----\n"))
	files["certs/server.key"] = key.String()
	files["first.env"] = join("AWS_ACCESS_KEY_ID=AKIA", c.str(upper2, 16))
	files["wrapped.py"] = "config = {\n    'api_key':\n        '" + c.str(alnum, 30) + "',\n}\n"
	files["encoded.yaml"] = "data:\n  token: " + b64(join("ghp", "_", c.str(alnum, 36))) + "\n"
	files["long/line.js"] = strings.Repeat("var a=1;", 5000) + join("const k='sk_", "live_", c.str(alnum, 30), "';") + strings.Repeat("b();", 3000)
	files["mixed.txt"] = fmt.Sprintf("password = %s\nsecret: %s\n", c.str(alnum, 20), c.str(alnum, 40))
}
