package store_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestApprovalsAreKeyedByHeadAndPaths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		a := store.Approval{Repo: repoA, PR: 4, HeadSHA: "h1", BaseSHA: "b1", PathsDigest: "sha256:wf", Team: "acme/security", By: "sec-lead", Note: "reviewed workflow change"}
		first, created, err := st.Approve(ctx, a)
		check(t, err)
		if !created || first.ID == 0 || !first.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("first approval = %+v created=%v", first, created)
		}
		again, created2, err := st.Approve(ctx, a)
		check(t, err)
		if created2 || again.ID != first.ID {
			t.Fatalf("repeated approval created=%v id=%d, want existing %d", created2, again.ID, first.ID)
		}
		if got := must(st.ApprovalsFor(ctx, repoA.ID, 4, "h1", "sha256:wf")); len(got) != 1 || got[0].By != "sec-lead" ||
			got[0].BaseSHA != "b1" || got[0].Team != "acme/security" {
			t.Fatalf("approvals for h1 = %+v", got)
		}
		for _, miss := range [][2]string{{"h2", "sha256:wf"}, {"h1", "sha256:other"}} {
			if got := must(st.ApprovalsFor(ctx, repoA.ID, 4, miss[0], miss[1])); len(got) != 0 {
				t.Fatalf("approval leaked to head %s paths %s: %+v", miss[0], miss[1], got)
			}
		}
		_, _, err = st.Approve(ctx, store.Approval{Repo: repoA, PR: 4, HeadSHA: "h1"})
		wantErr(t, err, store.ErrInvalid)
		if rep := verifyOK(t, st, repoA.ID); rep.Records != 1 {
			t.Fatalf("audit records = %d, want 1 (the repeat is not a new approval)", rep.Records)
		}
	})
}

func TestOneApproverApprovesTwoRulesOfOneHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		for _, rule := range []struct{ digest, team string }{{"rule-wf", "acme/security"}, {"rule-auth", "acme/identity"}} {
			_, created, err := st.Approve(ctx, store.Approval{Repo: repoA, PR: 4, HeadSHA: "h1", BaseSHA: "b1", PathsDigest: rule.digest, Team: rule.team, By: "both"})
			check(t, err)
			if !created {
				t.Fatalf("approval of %s not created", rule.digest)
			}
		}
		if got := must(st.ApprovalsFor(ctx, repoA.ID, 4, "h1", "rule-auth")); len(got) != 1 || got[0].Team != "acme/identity" {
			t.Fatalf("approvals of rule-auth = %+v", got)
		}
		var teams []string
		for _, r := range exportLines(t, st, store.ExportFilter{RepoID: repoA.ID, Kinds: []string{store.KindApproval}}) {
			var d struct {
				Team    string `json:"team"`
				BaseSHA string `json:"base_sha"`
			}
			check(t, json.Unmarshal(r.Data, &d))
			if d.BaseSHA != "b1" {
				t.Errorf("audited base %q", d.BaseSHA)
			}
			teams = append(teams, d.Team)
		}
		if !slices.Equal(teams, []string{"acme/security", "acme/identity"}) {
			t.Fatalf("audited teams %v", teams)
		}
	})
}

func TestPushesAreKeptInOrderOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		check(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 4, HeadSHA: "h1", Pusher: "octocat", Event: "opened", DeliveryID: "d1"}))
		clock.Advance(time.Minute)
		check(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 4, HeadSHA: "h2", Pusher: "mallory", Event: "synchronize", DeliveryID: "d2"}))
		check(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 4, HeadSHA: "h2", Pusher: "mallory", Event: "synchronize", DeliveryID: "d2"})) // redelivered
		check(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 5, HeadSHA: "x", Pusher: "eve", Event: "opened", DeliveryID: "d3"}))
		// A late delivery with an explicit time sorts by that time.
		check(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 4, HeadSHA: "h0", Pusher: "octocat", Event: "synchronize", At: clock.Now().Add(-2 * time.Minute)}))
		got := must(st.Pushes(ctx, repoA.ID, 4))
		var seen []string
		for _, p := range got {
			seen = append(seen, p.HeadSHA+"/"+p.Pusher)
		}
		if !slices.Equal(seen, []string{"h0/octocat", "h1/octocat", "h2/mallory"}) {
			t.Fatalf("pushes = %v", seen)
		}
		if !got[2].At.Equal(clock.Now()) || got[2].Event != "synchronize" {
			t.Fatalf("push = %+v", got[2])
		}
		wantErr(t, st.RecordPush(ctx, store.Push{Repo: repoA, PR: 4}), store.ErrInvalid)
	})
}
