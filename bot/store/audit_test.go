package store_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func exportLines(t *testing.T, st store.Store, f store.ExportFilter) []store.Record {
	t.Helper()
	var buf bytes.Buffer
	n := must(st.Export(ctx, f, &buf))
	var out []store.Record
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var r store.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	if n != len(out) {
		t.Fatalf("Export reported %d records, wrote %d lines", n, len(out))
	}
	return out
}

// appendN writes n command records to repo's chain and returns them.
func appendN(t *testing.T, st store.Store, repo store.Repo, n int) []store.Record {
	t.Helper()
	var recs []store.Record
	for i := range n {
		recs = append(recs, must(st.AuditCommand(ctx, store.CommandAudit{
			Repo: repo, PR: 1, Actor: "alice", Command: fmt.Sprintf("ignore W-%d reason", i), Permission: "write", Outcome: "done", CommentID: int64(i),
		})))
	}
	return recs
}

func TestVerifyDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		db := st.Handle().DB
		one := func(format string, args ...any) []string { return []string{fmt.Sprintf(format, args...)} }
		cases := []struct {
			name       string
			tamper     func(recs []store.Record) []string // raw SQL an attacker with DB access runs
			brokenAt   func(recs []store.Record) int64
			reasonPart string
		}{
			{"edited details", func(r []store.Record) []string {
				return one(`UPDATE audit_log SET data = '{"outcome":"refused"}' WHERE id = %d`, r[1].ID)
			}, func(r []store.Record) int64 { return r[1].ID }, "altered"},
			{"edited actor", func(r []store.Record) []string {
				return one(`UPDATE audit_log SET actor = 'mallory' WHERE id = %d`, r[1].ID)
			}, func(r []store.Record) int64 { return r[1].ID }, "altered"},
			{"replaced hash", func(r []store.Record) []string {
				return one(`UPDATE audit_log SET hash = '%s' WHERE id = %d`, strings.Repeat("0", 64), r[1].ID)
			}, func(r []store.Record) int64 { return r[1].ID }, "altered"},
			{"deleted middle", func(r []store.Record) []string {
				return one(`DELETE FROM audit_log WHERE id = %d`, r[1].ID)
			}, func(r []store.Record) int64 { return r[2].ID }, "removed"},
			{"deleted tail", func(r []store.Record) []string {
				return one(`DELETE FROM audit_log WHERE id = %d`, r[3].ID)
			}, func(r []store.Record) int64 { return 0 }, "removed from the end"},
			{"swapped order", func(r []store.Record) []string {
				return []string{
					fmt.Sprintf(`UPDATE audit_log SET seq = -1 WHERE id = %d`, r[1].ID),
					fmt.Sprintf(`UPDATE audit_log SET seq = 2 WHERE id = %d`, r[2].ID),
					fmt.Sprintf(`UPDATE audit_log SET seq = 3 WHERE id = %d`, r[1].ID),
				}
			}, func(r []store.Record) int64 { return r[2].ID }, "prev_hash"},
		}
		for i, c := range cases {
			repo := store.Repo{ID: int64(1000 + i), Owner: "acme", Name: c.name}
			recs := appendN(t, st, repo, 4)
			verifyOK(t, st, repo.ID)
			for _, stmt := range c.tamper(recs) {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: tamper: %v", c.name, err)
				}
			}
			rep := must(st.Verify(ctx, repo.ID))
			if rep.OK || rep.BrokenID != c.brokenAt(recs) || !strings.Contains(rep.Reason, c.reasonPart) {
				t.Errorf("%s: Verify = %+v, want broken at %d mentioning %q", c.name, rep, c.brokenAt(recs), c.reasonPart)
			}
		}
		verifyOK(t, st, repoA.ID) // an empty chain is intact
	})
}

func TestConcurrentAppendsDoNotForkTheChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		const writers, each = 8, 10
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if _, err := st.AppendAudit(ctx, store.Event{Repo: repoA, Kind: store.KindCommand, Actor: fmt.Sprint("w", w), Subject: fmt.Sprint(i)}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if rep := verifyOK(t, st, repoA.ID); rep.Records != writers*each {
			t.Fatalf("chain has %d records, want %d", rep.Records, writers*each)
		}
	})
}

func TestExportFiltersJSONLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		t0 := clock.Now()
		add := func(repo store.Repo, pr int, kind string) {
			must(st.AppendAudit(ctx, store.Event{Repo: repo, PR: pr, Kind: kind, Actor: "alice", Data: map[string]any{"z": 1, "a": "x"}}))
			clock.Advance(time.Minute)
		}
		add(repoA, 1, store.KindCommand)     // t0
		add(repoA, 2, store.KindApproval)    // t0+1m
		add(repoB, 1, store.KindCommand)     // t0+2m
		add(repoA, 1, store.KindScanStarted) // t0+3m

		type sel = func(store.Record) string
		subjects := func(recs []store.Record, f sel) []string {
			var out []string
			for _, r := range recs {
				out = append(out, f(r))
			}
			return out
		}
		key := func(r store.Record) string { return fmt.Sprintf("%s#%d:%s", r.Repo, r.PR, r.Kind) }
		cases := []struct {
			name string
			f    store.ExportFilter
			want []string
		}{
			{"all", store.ExportFilter{}, []string{"acme/api#1:command", "acme/api#2:approval", "acme/web#1:command", "acme/api#1:scan.started"}},
			{"repo", store.ExportFilter{RepoID: repoA.ID}, []string{"acme/api#1:command", "acme/api#2:approval", "acme/api#1:scan.started"}},
			{"repo and PR", store.ExportFilter{RepoID: repoA.ID, PR: 1}, []string{"acme/api#1:command", "acme/api#1:scan.started"}},
			{"kinds", store.ExportFilter{Kinds: []string{store.KindCommand, store.KindApproval}}, []string{"acme/api#1:command", "acme/api#2:approval", "acme/web#1:command"}},
			{"time range", store.ExportFilter{Since: t0.Add(time.Minute), Until: t0.Add(3 * time.Minute)}, []string{"acme/api#2:approval", "acme/web#1:command"}},
		}
		for _, c := range cases {
			if got := subjects(exportLines(t, st, c.f), key); !slices.Equal(got, c.want) {
				t.Errorf("%s: exported %v, want %v", c.name, got, c.want)
			}
		}
		first := exportLines(t, st, store.ExportFilter{RepoID: repoA.ID})[0]
		if string(first.Data) != `{"a":"x","z":1}` || len(first.Hash) != 64 || first.PrevHash != "" || first.Seq != 1 || !first.At.Equal(t0) {
			t.Errorf("first exported record = %+v", first)
		}
	})
}
