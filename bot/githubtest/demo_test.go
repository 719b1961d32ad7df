package githubtest

import (
	"context"
	"encoding/json"
	"testing"
)

// `warden demo` runs the fake with no npm cache: no validation, fallback
// payloads, everything else as strict as ever.
func TestOfflineDemoMode(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.SpecLoaded() {
		t.Fatal("no spec was given, yet SpecLoaded says true")
	}
	w, err := NewWorld(s, WorldSpec{HeadFiles: map[string]string{"secret.txt": "token\n"}})
	if err != nil {
		t.Fatal(err)
	}
	client, _ := installationClient(t, s, w)
	files, _, err := client.PullRequests.ListFiles(context.Background(), w.Repo.Owner, w.Repo.Name, w.PR.Number, nil)
	if err != nil || len(files) != 1 || files[0].GetFilename() != "secret.txt" {
		t.Fatalf("list files offline: %v %+v", err, files)
	}
	tok := mintToken(t, s, w)
	if status, _ := rawCall(t, s, tok, "PATCH", "/repos/"+w.Repo.FullName()+"/check-runs/1", map[string]any{"output": map[string]any{"title": "t", "summary": "s", "annotations": annotations(51)}}); status != 422 {
		t.Fatalf("GitHub's own limits still apply offline: %d", status)
	}
	p, err := s.NewPayloads(nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := p.PullRequest("opened", w.Repo.FullName(), w.PR.Number)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || lookup(doc, "pull_request.head.sha") != w.HeadSHA {
		t.Fatalf("fallback payload: %v %s", err, body)
	}
}
