package githubtest

import (
	"strings"
	"testing"
)

func annotations(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"path": "app.go", "start_line": 1, "end_line": 1, "annotation_level": "warning", "message": "m"}
	}
	return out
}

func TestCheckRunLimits(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	RequireSpec(t, s)
	tok := mintToken(t, s, w)
	create := "/repos/" + w.Repo.FullName() + "/check-runs"
	status, run := rawCall(t, s, tok, "POST", create, map[string]any{"name": "warden", "head_sha": w.HeadSHA})
	if status != 201 {
		t.Fatalf("create: %d %v", status, run)
	}
	update := create + "/" + itoa(int(run["id"].(float64)))
	output := func(extra map[string]any) map[string]any {
		o := map[string]any{"title": "t", "summary": "s"}
		for k, v := range extra {
			o[k] = v
		}
		return map[string]any{"output": o}
	}
	cases := []struct {
		name string
		body map[string]any
		want string
	}{
		{"51 annotations", output(map[string]any{"annotations": annotations(51)}), "No more than 50 items are allowed; 51 were supplied"},
		{"summary over 65535 bytes but not characters", output(map[string]any{"summary": strings.Repeat("é", 40000)}), "summary exceeds a maximum bytesize of 65535"},
		{"text over 65535 characters", output(map[string]any{"text": strings.Repeat("a", 65536)}), "Only 65535 characters are allowed; 65536 were supplied"},
		{"annotation title over 255", output(map[string]any{"annotations": []map[string]any{{"path": "a", "start_line": 1, "end_line": 1, "annotation_level": "notice", "message": "m", "title": strings.Repeat("x", 256)}}}), "title is too long"},
		{"annotation without message", output(map[string]any{"annotations": []map[string]any{{"path": "a", "start_line": 1, "end_line": 1, "annotation_level": "notice"}}}), `\"message\" wasn't supplied`},
		{"columns across lines", output(map[string]any{"annotations": []map[string]any{{"path": "a", "start_line": 1, "end_line": 2, "start_column": 1, "annotation_level": "notice", "message": "m"}}}), "start_column"},
		{"four actions", map[string]any{"actions": []map[string]any{{"label": "a", "identifier": "a", "description": "a"}, {"label": "b", "identifier": "b", "description": "b"}, {"label": "c", "identifier": "c", "description": "c"}, {"label": "d", "identifier": "d", "description": "d"}}}, "No more than 3 items are allowed; 4 were supplied"},
		{"action label over 20", map[string]any{"actions": []map[string]any{{"label": strings.Repeat("l", 21), "identifier": "a", "description": "a"}}}, "Only 20 characters are allowed; 21 were supplied"},
		{"action description over 40", map[string]any{"actions": []map[string]any{{"label": "l", "identifier": "a", "description": strings.Repeat("d", 41)}}}, "Only 40 characters are allowed"},
		{"completed without conclusion", map[string]any{"status": "completed"}, "conclusion"},
		{"stale conclusion", map[string]any{"conclusion": "stale"}, "stale"},
		{"output without summary", map[string]any{"output": map[string]any{"title": "t"}}, "summary"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, s, tok, "PATCH", update, tc.body)
			if status != 422 || !strings.Contains(errorText(body), tc.want) {
				t.Fatalf("got %d %s, want 422 containing %q", status, errorText(body), tc.want)
			}
		})
	}
	if got := s.CheckRuns(w.Repo.FullName(), w.HeadSHA)[0]; len(got.Annotations) != 0 || got.Status != "queued" {
		t.Fatalf("rejected updates changed the run: %+v", got)
	}
	// Within the limits: 50 annotations at most and a summary of exactly
	// 65535 bytes are fine, and each PATCH appends.
	for i := 0; i < 2; i++ {
		status, body := rawCall(t, s, tok, "PATCH", update, output(map[string]any{"annotations": annotations(50), "summary": strings.Repeat("a", 65535)}))
		if status != 200 {
			t.Fatalf("valid update %d: %d %s", i, status, errorText(body))
		}
	}
	if got := s.CheckRuns(w.Repo.FullName(), w.HeadSHA)[0]; len(got.Annotations) != 100 {
		t.Fatalf("annotations %d, want 100 (appended per PATCH)", len(got.Annotations))
	}
	kinds := map[string]int{}
	for _, v := range s.Violations() {
		kinds[v.Kind]++
	}
	if kinds[ViolationRule] != len(cases) {
		t.Fatalf("violations %v, want %d rule violations", kinds, len(cases))
	}
}

func TestCheckRunNeedsAKnownCommit(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	tok := mintToken(t, s, w)
	create := "/repos/" + w.Repo.FullName() + "/check-runs"
	if status, body := rawCall(t, s, tok, "POST", create, map[string]any{"name": "warden", "head_sha": strings.Repeat("a", 40)}); status != 422 || !strings.Contains(errorText(body), "No commit found for SHA") {
		t.Fatalf("unknown sha: %d %v", status, body)
	}
	s.HideCommit(w.Repo.FullName(), w.HeadSHA, 2)
	for i := 0; i < 2; i++ {
		if status, _ := rawCall(t, s, tok, "POST", create, map[string]any{"name": "warden", "head_sha": w.HeadSHA}); status != 422 {
			t.Fatalf("hidden commit attempt %d: %d, want 422", i, status)
		}
	}
	if status, _ := rawCall(t, s, tok, "POST", create, map[string]any{"name": "warden", "head_sha": w.HeadSHA}); status != 201 {
		t.Fatalf("third attempt: %d, want 201", status)
	}
	if n := len(s.CheckRuns(w.Repo.FullName(), w.HeadSHA)); n != 1 {
		t.Fatalf("%d runs, want 1", n)
	}
}
