package auditcli

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/wardenbot/warden/bot/store"
)

// chainLister is an optional store capability: every chain it holds, even
// one whose records were all deleted (its head remains).
type chainLister interface {
	AuditRepoIDs(ctx context.Context) ([]int64, error)
}

// verify walks each selected repository's chain and reports every broken
// one; exit 1 when any is broken.
func verify(ctx context.Context, st store.Store, o options, w io.Writer) (int, error) {
	ids, names, err := chains(ctx, st, o.repo)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		if o.repo != "" {
			fmt.Fprintf(w, "no audit records for %s\n", clean(o.repo))
			return exitFailed, nil
		}
		fmt.Fprintln(w, "chain intact (0 records)")
		return exitOK, nil
	}
	total, broken := 0, 0
	for _, id := range ids {
		rep, err := st.Verify(ctx, id)
		if err != nil {
			return 0, err
		}
		total += rep.Records
		label := fmt.Sprintf("repository %d", id)
		if n := names[id]; n != "" && n != fmt.Sprint(id) {
			label = clean(n) + " (repository " + fmt.Sprint(id) + ")"
		}
		if rep.OK {
			fmt.Fprintf(w, "%s: chain intact (%d records)\n", label, rep.Records)
			continue
		}
		broken++
		if rep.BrokenID != 0 {
			fmt.Fprintf(w, "%s: chain broken at record %d: %s\n", label, rep.BrokenID, rep.Reason)
		} else {
			fmt.Fprintf(w, "%s: chain broken: %s\n", label, rep.Reason)
		}
	}
	if broken > 0 {
		fmt.Fprintf(w, "%d of %d chains broken\n", broken, len(ids))
		return exitFailed, nil
	}
	fmt.Fprintf(w, "chain intact (%d records)\n", total)
	return exitOK, nil
}

// chains lists the repository ids to verify, with names for the report.
func chains(ctx context.Context, st store.Store, repo string) ([]int64, map[int64]string, error) {
	names := map[int64]string{}
	set := map[int64]bool{}
	if repo != "" {
		f, err := resolveRepo(ctx, st, repo)
		if err != nil {
			return nil, nil, err
		}
		set, names = f.ids, f.names
	} else {
		if cl, ok := st.(chainLister); ok {
			ids, err := cl.AuditRepoIDs(ctx)
			if err != nil {
				return nil, nil, err
			}
			for _, id := range ids {
				set[id] = true
			}
		}
		sink := &lineSink{fn: func(_ []byte, r store.Record) error {
			set[r.RepoID] = true
			if r.Repo != "" {
				names[r.RepoID] = r.Repo
			}
			return nil
		}}
		if _, err := st.Export(ctx, store.ExportFilter{}, sink); err != nil {
			return nil, nil, err
		}
	}
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, names, nil
}
