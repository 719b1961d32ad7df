package workflows

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/wardenbot/warden/internal/ghname"
)

// recordingResolver answers every valid ref and remembers what it was
// asked, as an API would see it.
type recordingResolver struct {
	mu    sync.Mutex
	asked []string
}

func (r *recordingResolver) ResolveRef(_ context.Context, owner, repo, ref string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, owner+"/"+repo+"@"+ref)
	return strings.Repeat("a", 40), nil
}

// A pull request controls every `uses:` line: names GitHub could not have
// created are never looked up, and one run looks up at most MaxResolves
// distinct refs however many the workflows name.
func TestHostileUsesAreNotLookedUp(t *testing.T) {
	var steps strings.Builder
	for _, u := range []string{"../../../../user", "owner/repo@refs/../../x", "a/b@%2e%2e", "../x@v1", "a/..@v1", "a/.@v1",
		"own er/repo@v1", "owner/repo@v1~1", "owner/repo@a:b", "-lead/repo@v1", strings.Repeat("o", 40) + "/r@v1", "o/r@" + strings.Repeat("v", 300)} {
		fmt.Fprintf(&steps, "      - uses: %q\n", u)
	}
	for i := range 500 {
		fmt.Fprintf(&steps, "      - uses: acme/action@v%d\n", i)
	}
	src := wf("on: push", "  a:\n    runs-on: ubuntu-latest\n    steps:\n"+steps.String())
	res := &recordingResolver{}
	rep := scanWorkflow(t, src, Options{Resolver: res})

	if len(res.asked) != DefaultMaxResolves {
		t.Errorf("the resolver was asked %d times, want %d", len(res.asked), DefaultMaxResolves)
	}
	for _, a := range res.asked {
		name, ref, _ := strings.Cut(a, "@")
		owner, repo, _ := strings.Cut(name, "/")
		if !ghname.Owner(owner) || !ghname.Repo(repo) || !ghname.Ref(ref) {
			t.Errorf("the resolver was asked about %q", a)
		}
	}
	if n := len(findingsOf(rep, "workflows/unpinned-action")); n < 500 {
		t.Errorf("%d unpinned-action findings, want every one of the 500 still reported", n)
	}
	var tooMany, invalid int
	for _, n := range rep.Notes {
		switch {
		case strings.Contains(n.Message, "distinct action refs"):
			tooMany++
		case strings.Contains(n.Message, "not valid GitHub owner/repo@ref"):
			invalid++
		case strings.Contains(n.Message, "could not resolve"):
			t.Errorf("unexpected note %q", n.Message)
		}
	}
	if tooMany != 1 || invalid != 1 {
		t.Errorf("%d notes on the ref cap and %d on invalid names, want one each: %v", tooMany, invalid, rep.Notes)
	}
}

// A ref the API answered with something that is not a sha leaves a note
// that does not repeat the answer.
func TestResolverAnswerIsNotEchoed(t *testing.T) {
	src := wf("on: push", "  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/action@v1\n")
	rep := scanWorkflow(t, src, Options{Resolver: answerResolver("<html>internal error at db-7.internal</html>")})
	for _, n := range rep.Notes {
		if strings.Contains(n.Message, "db-7") || strings.Contains(n.Message, "<html>") {
			t.Errorf("note echoes the answer: %q", n.Message)
		}
	}
	if len(rep.Notes) != 1 {
		t.Errorf("want one note for the failed resolution, got %v", rep.Notes)
	}
}

type answerResolver string

func (a answerResolver) ResolveRef(context.Context, string, string, string) (string, error) {
	return string(a), nil
}
