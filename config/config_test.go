package config_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

func TestMissingFileMeansDefaults(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", "---\n", "~\n"} {
		cfg, err := config.Parse(".github/warden.yml", []byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if !reflect.DeepEqual(cfg, config.Default()) {
			t.Errorf("%q: not the defaults: %+v", in, cfg)
		}
	}
	d := config.Default()
	if d.FailOn != checks.SeverityHigh || d.Comments.MaxPerScan != 25 || !d.Enabled(checks.CategorySecrets) {
		t.Errorf("defaults: %+v", d)
	}
}

func TestValuesOverrideDefaultsKeyByKey(t *testing.T) {
	cfg, err := config.Parse("w.yml", []byte("fail_on: medium\nchecks:\n  code: {enabled: false}\n  secrets:\n    allowlist: {paths: [\"fixtures/**\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != checks.SeverityMedium || cfg.Enabled(checks.CategoryCode) || !cfg.Enabled(checks.CategorySecrets) {
		t.Errorf("got %+v", cfg)
	}
	if got := cfg.Checks.Secrets.Allowlist.Paths; len(got) != 1 || got[0] != "fixtures/**" {
		t.Errorf("allowlist paths %v", got)
	}
}

func TestErrorsNameFileLineAndFix(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"typo with suggestion", "fial_on: high\n", `w.yml:1:1: unknown key "fial_on" in the top level (did you mean "fail_on"?)`},
		{"nested unknown key", "checks:\n  secrets:\n    enable: true\n", `w.yml:3:5: unknown key "enable" in checks.secrets (did you mean "enabled"?)`},
		{"unknown category", "checks:\n  sast: {enabled: true}\n", `w.yml:2:3: unknown key "sast" in checks`},
		{"bad severity", "fail_on: severe\n", `w.yml:1:10: fail_on: unknown severity "severe"`},
		{"bool as string", "checks:\n  code: {enabled: \"no\"}\n", `w.yml:2:19: checks.code.enabled must be true or false`},
		{"int out of range", "comments:\n  max_per_scan: 1000\n", `w.yml:2:17: comments.max_per_scan must be between 0 and 100`},
		{"unknown on_unscanned", "on_unscanned: pass\n", `w.yml:1:15: on_unscanned: "pass" is not failure, action_required or neutral`},
		{"list expected", "paths:\n  ignore: vendor/**\n", `w.yml:2:11: paths.ignore must be a list`},
		{"bad glob", "paths:\n  ignore: [\"a/[b\"]\n", `w.yml:2:12: paths.ignore[]: invalid path pattern`},
		{"bad regex", "checks:\n  secrets:\n    allowlist:\n      regexes: [\"(unclosed\"]\n", `w.yml:4:17: checks.secrets.allowlist.regexes[]: error parsing regexp`},
		{"bad team", "security_team: security\n", `w.yml:1:16: security_team: "security" is not a team`},
		{"bad approver", "approvals:\n  - paths: [x]\n    by: alice\n", `w.yml:3:9: approvals[].by: "alice" is not security_team`},
		{"duplicate key", "fail_on: high\nfail_on: low\n", `w.yml:2:1: "fail_on" is set twice (first on line 1)`},
		{"not a mapping", "- a\n- b\n", `w.yml:1:1: the configuration must be a mapping`},
		{"two documents", "fail_on: high\n---\nfail_on: low\n", `only one YAML document is allowed`},
		{"syntax error", "checks:\n  secrets: [\n", `w.yml:2:1: invalid YAML`},
		{"anchors refused", "a: &x {enabled: true}\n", `anchors and aliases are not supported`},
		{"tabs", "checks:\n\tcode: {}\n", `invalid YAML`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse("w.yml", []byte(tc.in))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestAllProblemsAreReported(t *testing.T) {
	_, err := config.Parse("w.yml", []byte("fial_on: high\ncomments: {max_per_scan: -1}\nsecurity_team: x\n"))
	var errs config.Errors
	if !asErrors(err, &errs) || len(errs) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "(and 2 more problems)") {
		t.Errorf("summary line: %v", err)
	}
}

func asErrors(err error, out *config.Errors) bool {
	e, ok := err.(config.Errors)
	*out = e
	return ok
}

func TestOrgDefaultsAreRefinedByTheRepository(t *testing.T) {
	org := config.Source{Name: "org/.github:.github/warden.yml", Data: []byte("fail_on: medium\nsecurity_team: acme/security\npaths: {ignore: [\"vendor/**\"]}\nchecks: {code: {enabled: false}}\n")}
	repo := config.Source{Name: ".github/warden.yml", Data: []byte("paths: {ignore: [\"third_party/**\"]}\nchecks: {secrets: {enabled: false}}\n")}
	cfg, err := config.Load(org, repo)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != checks.SeverityMedium || cfg.SecurityTeam != "acme/security" {
		t.Errorf("org defaults lost: %+v", cfg)
	}
	if len(cfg.Paths.Ignore) != 1 || cfg.Paths.Ignore[0] != "third_party/**" {
		t.Errorf("lists replace: %v", cfg.Paths.Ignore)
	}
	if cfg.Enabled(checks.CategoryCode) || cfg.Enabled(checks.CategorySecrets) {
		t.Errorf("mappings merge: code %v secrets %v", cfg.Enabled(checks.CategoryCode), cfg.Enabled(checks.CategorySecrets))
	}
	_, err = config.Load(config.Source{Name: "org.yml", Data: []byte("bogus: 1\n")}, repo)
	if err == nil || !strings.HasPrefix(err.Error(), "org.yml:1:1:") {
		t.Errorf("an error in the org file must name it: %v", err)
	}
}

func TestOversizedFileIsRefused(t *testing.T) {
	big := bytes.Repeat([]byte("# padding\n"), config.MaxSize/10+1)
	if _, err := config.Parse("w.yml", big); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("got %v", err)
	}
}

// docsExample returns the YAML example of docs/configuration.md.
func docsExample(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("no yaml example in docs/configuration.md")
	}
	return m[1]
}

func schema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile("warden.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("warden.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("warden.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return s, m
}

func yamlToJSONValue(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDocsExampleIsValid(t *testing.T) {
	ex := docsExample(t)
	cfg, err := config.Parse("docs example", ex)
	if err != nil {
		t.Fatalf("the documented example does not parse: %v", err)
	}
	if cfg.SecurityTeam != "my-org/security" || len(cfg.Approvals) != 2 || cfg.IgnoreBy.Default != "write" {
		t.Errorf("example parsed wrongly: %+v", cfg)
	}
	s, _ := schema(t)
	if err := s.Validate(yamlToJSONValue(t, ex)); err != nil {
		t.Errorf("the documented example does not validate against the schema: %v", err)
	}
}

// TestDocsOrganisationExampleIsValid loads the organisation example of
// docs/configuration.md as organisation defaults, and refuses it as a
// repository's file.
func TestDocsOrganisationExampleIsValid(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) < 2 {
		t.Fatal("no organisation example in docs/configuration.md")
	}
	ex := blocks[1][1]
	cfg, err := config.Load(config.Source{Name: "org", Data: ex, Org: true})
	if err != nil {
		t.Fatalf("the documented organisation example does not load: %v", err)
	}
	if len(cfg.Locked) != 3 || cfg.ConfigApproval != "security_team" {
		t.Errorf("organisation example parsed wrongly: %+v", cfg)
	}
	if _, err := config.Parse(".github/warden.yml", ex); err == nil {
		t.Error("a repository's file may not lock keys")
	}
	s, _ := schema(t)
	if err := s.Validate(yamlToJSONValue(t, ex)); err != nil {
		t.Errorf("the organisation example does not validate against the schema: %v", err)
	}
}

func TestSchemaAndParserAgree(t *testing.T) {
	s, _ := schema(t)
	for _, in := range []string{
		"fial_on: high\n",
		"fail_on: severe\n",
		"checks: {code: {enabled: yes please}}\n",
		"comments: {max_per_scan: 101}\n",
		"security_team: nobody\n",
		"approvals: [{paths: [x], by: alice}]\n",
		"ignore_by: {secrets: everyone}\n",
		"ignore_by: {critical: \"\"}\n",
		"ignore_by: {sometimes: write}\n",
		"checks: {secrets: {allowlist: {fingerprints: [nothex]}}}\n",
	} {
		_, perr := config.Parse("w.yml", []byte(in))
		serr := s.Validate(yamlToJSONValue(t, []byte(in)))
		if perr == nil || serr == nil {
			t.Errorf("%q: parser error %v, schema error %v — both must reject", in, perr, serr)
		}
	}
}

// TestSchemaCoversEveryKey keeps warden.schema.json in step with the Go
// types: every yaml key of Config is in the schema and nothing else is.
func TestSchemaCoversEveryKey(t *testing.T) {
	_, m := schema(t)
	defs := m["$defs"].(map[string]any)
	var fromSchema []string
	var walk func(prefix string, node map[string]any)
	walk = func(prefix string, node map[string]any) {
		if ref, ok := node["$ref"].(string); ok {
			node = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(prefix+"[]", items)
		}
		props, _ := node["properties"].(map[string]any)
		for k, v := range props {
			p := strings.TrimPrefix(prefix+"."+k, ".")
			fromSchema = append(fromSchema, p)
			walk(p, v.(map[string]any))
		}
	}
	walk("", m)
	var fromGo []string
	var walkType func(prefix string, t reflect.Type)
	walkType = func(prefix string, t reflect.Type) {
		if t.Kind() == reflect.Slice {
			walkType(prefix+"[]", t.Elem())
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			p := strings.TrimPrefix(prefix+"."+tag, ".")
			fromGo = append(fromGo, p)
			walkType(p, t.Field(i).Type)
		}
	}
	walkType("", reflect.TypeOf(config.Config{}))
	sort.Strings(fromSchema)
	sort.Strings(fromGo)
	if !reflect.DeepEqual(fromSchema, fromGo) {
		t.Errorf("schema keys and Go keys differ:\nschema: %v\ngo:     %v", fromSchema, fromGo)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("fail_on: high\n"))
	f.Add(docsExampleForFuzz())
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse("fuzz.yml", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		if cfg.FailOn < checks.SeverityInfo || cfg.FailOn > checks.SeverityCritical {
			t.Fatalf("accepted config with invalid fail_on %d", cfg.FailOn)
		}
		if cfg.Comments.MaxPerScan < 0 || cfg.Comments.MaxPerScan > 100 {
			t.Fatalf("accepted max_per_scan %d", cfg.Comments.MaxPerScan)
		}
	})
}

func docsExampleForFuzz() []byte {
	b, _ := os.ReadFile("../docs/configuration.md")
	if m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(b); m != nil {
		return m[1]
	}
	return nil
}
