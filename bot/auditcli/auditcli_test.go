package auditcli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/auditcli"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

var (
	ctx   = context.Background()
	api   = store.Repo{ID: 101, Owner: "acme", Name: "api"}
	web   = store.Repo{ID: 202, Owner: "acme", Name: "web"}
	start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// seed writes a small history: commands and a suppression in acme/api
// (PR 7 and 8), a command in acme/web, an hour apart each.
func seed(t *testing.T, url string) store.Store {
	t.Helper()
	clock := storetest.NewClock()
	st := storetest.Open(t, url, store.WithClock(clock.Now))
	must := func(_ store.Record, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.AuditCommand(ctx, store.CommandAudit{Repo: api, PR: 7, Actor: "alice", Command: "/warden rescan", Permission: "not required", Outcome: "done", CommentID: 1}))
	clock.Advance(time.Hour)
	if _, err := st.Suppress(ctx, store.Suppression{Repo: api, Fingerprint: strings.Repeat("ab", 32), Kind: store.FalsePositive, Reason: "fixture\x1b[31m", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	must(st.AuditCommand(ctx, store.CommandAudit{Repo: api, PR: 8, Actor: "bob", Command: "/warden approve", Permission: "read", Outcome: "refused: needs write", CommentID: 2}))
	clock.Advance(time.Hour)
	must(st.AuditCommand(ctx, store.CommandAudit{Repo: web, PR: 1, Actor: "carol", Command: "/warden help", Permission: "not required", Outcome: "done", CommentID: 3}))
	return st
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := auditcli.Run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func records(t *testing.T, jsonl string) []store.Record {
	t.Helper()
	var out []store.Record
	for _, l := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		if l == "" {
			continue
		}
		var r store.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		out = append(out, r)
	}
	return out
}

func TestVerifyCatchesRawSQLEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := seed(t, url)
		code, out, errOut := run(t, "verify", "--database-url", url)
		if code != 0 || errOut != "" {
			t.Fatalf("intact log: exit %d, stderr %q", code, errOut)
		}
		mustContain(t, out, "acme/api (repository 101): chain intact (", "acme/web (repository 202): chain intact (1 records)")
		total := len(records(t, mustExport(t, url)))
		mustContain(t, out, fmt.Sprintf("\nchain intact (%d records)\n", total))

		// Someone with database access rewrites who refused bob.
		var id int64
		if err := st.Handle().DB.QueryRowContext(ctx, "SELECT id FROM audit_log WHERE actor = 'bob'").Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Handle().DB.ExecContext(ctx, fmt.Sprintf("UPDATE audit_log SET data = REPLACE(data, 'refused: needs write', 'done') WHERE id = %d", id)); err != nil {
			t.Fatal(err)
		}
		code, out, _ = run(t, "verify", "--database-url", url)
		if code != 1 {
			t.Fatalf("tampered log: exit %d, want 1\n%s", code, out)
		}
		mustContain(t, out, fmt.Sprintf("acme/api (repository 101): chain broken at record %d: content does not match its hash", id),
			"acme/web (repository 202): chain intact", "1 of 2 chains broken")
		if code, _, _ := run(t, "verify", "--database-url", url, "--repo", "acme/web"); code != 0 {
			t.Fatalf("the untouched repository's chain: exit %d", code)
		}
		if code, out, _ := run(t, "verify", "--database-url", url, "--repo", "101"); code != 1 || !strings.Contains(out, "chain broken") {
			t.Fatalf("--repo by id: exit %d\n%s", code, out)
		}
	})
}

func TestVerifyCatchesADeletedRecord(t *testing.T) {
	url := storetest.SQLiteURL(t)
	st := seed(t, url)
	if _, err := st.Handle().DB.ExecContext(ctx, "DELETE FROM audit_log WHERE actor = 'bob'"); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "verify", "--database-url", url, "--repo", "acme/api")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	mustContain(t, out, "chain broken")
}

func TestExportFilters(t *testing.T) {
	url := storetest.SQLiteURL(t)
	seed(t, url)
	all := records(t, mustExport(t, url))
	cases := map[string]struct {
		args []string
		keep func(store.Record) bool
	}{
		"repo":          {[]string{"--repo", "ACME/api"}, func(r store.Record) bool { return r.RepoID == api.ID }},
		"repo and pr":   {[]string{"--repo", "acme/api", "--pr", "8"}, func(r store.Record) bool { return r.RepoID == api.ID && r.PR == 8 }},
		"kinds":         {[]string{"--kind", "command,suppression.created"}, func(r store.Record) bool { return r.Kind == "command" || r.Kind == "suppression.created" }},
		"since":         {[]string{"--since", start.Add(90 * time.Minute).Format(time.RFC3339)}, func(r store.Record) bool { return !r.At.Before(start.Add(90 * time.Minute)) }},
		"until":         {[]string{"--until", start.Add(30 * time.Minute).Format(time.RFC3339)}, func(r store.Record) bool { return r.At.Before(start.Add(30 * time.Minute)) }},
		"unknown repo":  {[]string{"--repo", "acme/nope"}, func(store.Record) bool { return false }},
		"long ago":      {[]string{"--since", "87600h"}, func(store.Record) bool { return true }},
		"in the future": {[]string{"--until", "0d"}, func(store.Record) bool { return true }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"export", "--database-url", url}, tc.args...)...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var want []int64
			for _, r := range all {
				if tc.keep(r) {
					want = append(want, r.ID)
				}
			}
			var got []int64
			for _, r := range records(t, out) {
				got = append(got, r.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("ids %v, want %v", got, want)
			}
		})
	}
}

func TestListIsForPeople(t *testing.T) {
	url := storetest.SQLiteURL(t)
	seed(t, url)
	t.Setenv("WARDEN_DATABASE_URL", url) // no --database-url: the environment decides
	code, out, _ := run(t, "list", "--limit", "3")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 records:\n%s", out)
	}
	mustContain(t, out, "acme/api#8", "/warden approve → refused: needs write (read)", "acme/web#1", "carol")
	if strings.Contains(out, "\x1b") {
		t.Fatal("list printed a terminal escape from a stored reason")
	}
}

func TestUsageErrorsAreOneLine(t *testing.T) {
	url := storetest.SQLiteURL(t)
	for _, args := range [][]string{
		{}, {"rotate"}, {"export", "--database-url", url, "--since", "yesterday"}, {"export", "--database-url", url, "--pr", "x"},
		{"list", "--database-url", url, "--limit", "0"}, {"verify", "--database-url", url, "extra"},
		{"verify", "--database-url", url, "--repo", "a/b/c"}, {"export", "--database-url", "mysql://x"},
	} {
		code, out, errOut := run(t, args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "warden audit: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func mustExport(t *testing.T, url string) string {
	t.Helper()
	code, out, errOut := run(t, "export", "--database-url", url)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	return out
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output does not contain %q:\n%s", w, got)
		}
	}
}
