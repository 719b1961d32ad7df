package secrets

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"
)

type ruleCase struct {
	name string
	path string
	text string
	want []string // rule ids expected; empty means no finding
}

func rnd(seed uint64, alphabet string, n int) string { return newCorpus(seed).str(alphabet, n) }

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	c := newCheck(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := scanTree(t, c, memTree{tc.path: tc.text})
			got := ruleIDs(fs)
			want := append([]string(nil), tc.want...)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
		})
	}
}

// TestGitleaksFamilies covers the gitleaks rule families warden relies on
// most, with realistic false-positive traps next to each.
func TestGitleaksFamilies(t *testing.T) {
	aws := join("AKIA", rnd(1, upper2, 16))
	ghp := join("ghp", "_", rnd(2, alnum, 36))
	stripeLive := join("sk_", "live_", rnd(3, alnum, 24))
	stripeTest := join("sk_", "test_", rnd(4, alnum, 24))
	slackHook := join("https://hooks.slack", ".com/services/T", rnd(5, upper2, 8), "/B", rnd(6, upper2, 8), "/", rnd(7, alnum, 24))
	gcp := join("AIza", rnd(8, alnum, 35))
	var pem strings.Builder
	pem.WriteString(join("-----BEGIN OPENSSH ", "PRIVATE KEY-----\n"))
	for i := 0; i < 6; i++ {
		pem.WriteString(rnd(uint64(10+i), alnum+"+/", 70) + "\n")
	}
	pem.WriteString(join("-----END OPENSSH ", "PRIVATE KEY-----\n"))
	runRuleCases(t, []ruleCase{
		{"aws key in go", "cloud/aws.go", "var id = \"" + aws + "\"\n", []string{"secrets/aws-access-token"}},
		{"aws documented example", "docs/aws.md", "aws_access_key_id = " + join("AKIA", "IOSFODNN7", "EXAMPLE") + "\n", nil},
		{"github pat", "ci/deploy.sh", "export GH_TOKEN=" + ghp + "\n", []string{"secrets/github-pat"}},
		{"github token from env", "ci/deploy.sh", "export GH_TOKEN=${GITHUB_TOKEN}\n", nil},
		{"stripe live", "pay/stripe.py", "stripe.api_key = '" + stripeLive + "'\n", []string{"secrets/stripe-access-token"}},
		{"stripe test", "pay/stripe_test.py", "stripe.api_key = '" + stripeTest + "'\n", []string{"secrets/stripe-access-token"}},
		{"slack webhook", "notify.js", "const hook = '" + slackHook + "';\n", []string{"secrets/slack-webhook-url"}},
		{"gcp api key", "maps.ts", "const mapsKey = \"" + gcp + "\";\n", []string{"secrets/gcp-api-key"}},
		{"private key", "deploy/id_ed25519", pem.String(), []string{"secrets/private-key"}},
		{"public key block", "deploy/key.pub", join("-----BEGIN ", "PUBLIC KEY-----\n") + rnd(20, alnum, 64) + "\n" + join("-----END ", "PUBLIC KEY-----\n"), nil},
		{"generic password", "app/settings.py", "DB_PASSWORD = \"" + rnd(30, alnum, 20) + "\"\n", []string{"secrets/generic-api-key"}},
		{"env var reference", "app/settings.go", "apiKey := os.Getenv(\"API_KEY\")\n", nil},
		{"shell env reference", "deploy.sh", "curl -H \"X-Api-Key: ${API_KEY}\" https://api.example.com\n", nil},
		{"placeholder", "README.md", "api_key = \"YOUR_API_KEY\"\ntoken: <token>\nsecret = \"xxxxxxxxxxxxxxxx\"\n", nil},
		{"uuid", "ids.go", "requestID := \"" + "3f2a9c1b-7d4e-4c1a-9b2f-0e8d6c5a4b3f" + "\"\n", nil},
		{"git sha", "version.go", "const commit = \"" + rnd(40, hexdig, 40) + "\"\n", nil},
		{"sha256 digest", "image.yaml", "image: registry.example.com/app@sha256:" + rnd(41, hexdig, 64) + "\n", nil},
		{"sha512 hash", "sums.txt", rnd(42, hexdig, 128) + "  app.tar.gz\n", nil},
		{"base64 blob", "logo.txt", "data = \"" + b64(rnd(43, alnum, 90)) + "\"\n", nil},
		{"package-lock integrity", "web/package-lock.json", "\"integrity\": \"sha512-" + b64(rnd(44, alnum, 64)) + "\",\n", nil},
		{"go.sum line", "go.sum", "github.com/example/mod v1.2.3 h1:" + b64(rnd(45, alnum, 32)) + "\n", nil},
		{"test fixture token var", "auth/auth_test.go", "token := \"test-token\"\n", nil},
	})
}

// The additions' true positives, built at run time.
func additionCases() []ruleCase {
	pw := rnd(50, alnum, 18)
	ghs := join("ghs", "_", rnd(51, alnum, 20), "_", rnd(52, alnum, 30))
	discord := join("https://discord", ".com/api/webhooks/", rnd(53, "0123456789", 18), "/", rnd(54, alnum+"_-", 68))
	basic := b64("deploy:" + rnd(55, alnum, 16))
	return []ruleCase{
		{"postgres url", "config/db.go", "dsn := \"postgres://app:" + pw + "@db.example.com:5432/app\"\n", []string{"secrets/url-credentials"}},
		{"mongodb srv url", "config/db.ts", "const uri = `mongodb+srv://svc:" + pw + "@cluster0.example.net/db`;\n", []string{"secrets/url-credentials"}},
		{"amqp url", "docker-compose.yml", "      BROKER_URL: amqp://worker:" + pw + "@rabbit.example.com:5672//\n", []string{"secrets/url-credentials"}},
		{"redis url no user", ".env.production", "REDIS_URL=redis://:" + pw + "@cache.example.com:6379/0\n", []string{"secrets/url-credentials"}},
		{"netrc password", ".netrc", "machine api.example.com login deploy password " + pw + "\n", []string{"secrets/netrc-password"}},
		{"pypirc password", ".pypirc", "[pypi]\nusername = deploy\npassword = " + rnd(61, "abcdefgh", 10) + "\n", []string{"secrets/pypirc-password"}},
		{"discord webhook", "bot/notify.py", "WEBHOOK = \"" + discord + "\"\n", []string{"secrets/discord-webhook-url"}},
		{"ghs with underscore", "ci/token.txt", ghs + "\n", []string{"secrets/github-installation-token"}},
		{"basic auth header", "client/http.py", "headers = {\"Authorization\": \"Basic " + basic + "\"}\n", []string{"secrets/basic-auth-header"}},
	}
}

func TestWardenAdditions(t *testing.T) {
	cases := additionCases()
	cases = append(cases,
		ruleCase{"url with env password", "config/db.go", "dsn := \"postgres://app:${DB_PASSWORD}@db.example.com/app\"\n", nil},
		ruleCase{"url with placeholder", "README.md", "postgres://user:password@localhost:5432/db\n", nil},
		ruleCase{"compose default", "docker-compose.yml", "DATABASE_URL: postgres://postgres:postgres@db:5432/app\n", nil},
		ruleCase{"url without password", "go.mod", "https://user@example.com/repo\n", nil},
		ruleCase{"netrc placeholder", ".netrc", "machine example.com login me password <password>\n", nil},
		ruleCase{"basic auth not credentials", "x.sh", "Authorization: Basic " + b64(rnd(62, alnum, 12)) + "\n", nil},
		ruleCase{"discord webhook doc", "README.md", "https://discord.com/api/webhooks/{id}/{token}\n", nil},
		ruleCase{"docker reference grammar", "uses.go", "kind := usesDocker // docker://image[:tag@digest]\n", nil},
		ruleCase{"templated url", "deploy.tpl", "postgres://{user}:{pass}@db.example.com/app\n", nil},
	)
	runRuleCases(t, cases)
}

// TestAdditionsAreGitleaksGaps proves each addition covers a case the plain
// gitleaks default rules miss.
func TestAdditionsAreGitleaksGaps(t *testing.T) {
	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range additionCases() {
		for _, f := range d.DetectContext(context.Background(), detect.Fragment{Raw: tc.text, FilePath: tc.path}) {
			t.Errorf("%s: gitleaks already finds it (%s), so the warden rule adds nothing", tc.name, f.RuleID)
		}
	}
}
