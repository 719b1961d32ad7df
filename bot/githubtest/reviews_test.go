package githubtest

import (
	"strings"
	"testing"
)

// The PR changes line 10 of 20 (hunk new lines 7..13) and line 30 of a
// second file region far away.
func reviewWorld(t *testing.T) (*Server, *World, string) {
	t.Helper()
	base := lines(1, 40)
	head := strings.Replace(base, "line 10\n", "line 10 changed\n", 1)
	head = strings.Replace(head, "line 30\n", "line 30 changed\nline 30b added\n", 1)
	s, w := newWorld(t, WorldSpec{BaseFiles: map[string]string{"app.go": base, "other.go": "x\n"}, HeadFiles: map[string]string{"app.go": head}})
	return s, w, mintToken(t, s, w)
}

func TestReviewAnchorsMustBeInTheDiff(t *testing.T) {
	s, w, tok := reviewWorld(t)
	path := "/repos/" + w.Repo.FullName() + "/pulls/1/reviews"
	comment := func(extra map[string]any) map[string]any {
		c := map[string]any{"path": "app.go", "body": "finding"}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	good := comment(map[string]any{"line": 10, "side": "RIGHT"})
	cases := []struct {
		name    string
		comment map[string]any
		want    string
	}{
		{"unchanged line outside any hunk", comment(map[string]any{"line": 20}), "line must be part of the diff"},
		{"file not in the PR", map[string]any{"path": "other.go", "body": "b", "line": 1}, "path is invalid"},
		{"new-only line number on the LEFT side", comment(map[string]any{"line": 41, "side": "LEFT"}), "line must be part of the diff"},
		{"unchanged old line on the LEFT side", comment(map[string]any{"line": 20, "side": "LEFT"}), "line must be part of the diff"},
		{"range across two hunks", comment(map[string]any{"start_line": 10, "line": 31}), "same hunk"},
		{"start_line equal to line", comment(map[string]any{"start_line": 10, "line": 10}), "must precede the end line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, s, tok, "POST", path, map[string]any{"event": "COMMENT", "body": "b", "comments": []any{good, tc.comment}})
			if status != 422 || !strings.Contains(errorText(body), tc.want) {
				t.Fatalf("got %d %s, want 422 containing %q", status, errorText(body), tc.want)
			}
		})
	}
	if n := len(s.Reviews(w.Repo.FullName(), 1)) + len(s.ReviewComments(w.Repo.FullName(), 1)); n != 0 {
		t.Fatalf("a rejected review left %d objects behind; GitHub is all-or-nothing", n)
	}
	// Context lines, deleted lines on LEFT and ranges inside one hunk are fine.
	ok := []any{
		comment(map[string]any{"line": 8}),
		comment(map[string]any{"line": 10, "side": "LEFT"}),
		comment(map[string]any{"start_line": 29, "line": 31}),
	}
	status, body := rawCall(t, s, tok, "POST", path, map[string]any{"event": "COMMENT", "body": "b", "comments": ok})
	if status != 200 {
		t.Fatalf("valid anchors: %d %s", status, errorText(body))
	}
	if got := len(s.ReviewComments(w.Repo.FullName(), 1)); got != 3 {
		t.Fatalf("%d comments, want 3", got)
	}
}

func TestReviewRules(t *testing.T) {
	s, w, tok := reviewWorld(t)
	path := "/repos/" + w.Repo.FullName() + "/pulls/1/reviews"
	t.Run("missing event makes a pending review, a second one is 422", func(t *testing.T) {
		status, body := rawCall(t, s, tok, "POST", path, map[string]any{"body": "draft"})
		if status != 200 || body["state"] != "PENDING" {
			t.Fatalf("first: %d %v", status, body)
		}
		status, body = rawCall(t, s, tok, "POST", path, map[string]any{"body": "draft 2"})
		if status != 422 || !strings.Contains(errorText(body), "one pending review") {
			t.Fatalf("second pending: %d %s", status, errorText(body))
		}
	})
	t.Run("body over 65536 characters", func(t *testing.T) {
		status, body := rawCall(t, s, tok, "POST", path, map[string]any{"event": "COMMENT", "body": strings.Repeat("é", 65537)})
		if status != 422 || !strings.Contains(errorText(body), "maximum is 65536 characters") {
			t.Fatalf("got %d %s", status, errorText(body))
		}
		if status, _ := rawCall(t, s, tok, "POST", path, map[string]any{"event": "COMMENT", "body": strings.Repeat("é", 65536)}); status != 200 {
			t.Fatalf("65536 multibyte characters must pass: %d", status)
		}
	})
	t.Run("replies only to top-level comments", func(t *testing.T) {
		status, body := rawCall(t, s, tok, "POST", path, map[string]any{"event": "COMMENT", "body": "b", "comments": []any{map[string]any{"path": "app.go", "line": 10, "body": "root"}}})
		if status != 200 {
			t.Fatalf("review: %d %v", status, body)
		}
		var root int64
		for _, c := range s.ReviewComments(w.Repo.FullName(), 1) {
			if c.Body == "root" {
				root = c.ID
			}
		}
		replies := "/repos/" + w.Repo.FullName() + "/pulls/1/comments/"
		status, reply := rawCall(t, s, tok, "POST", replies+itoa(int(root))+"/replies", map[string]any{"body": "reply"})
		if status != 201 {
			t.Fatalf("reply: %d %v", status, reply)
		}
		status, body = rawCall(t, s, tok, "POST", replies+itoa(int(reply["id"].(float64)))+"/replies", map[string]any{"body": "nested"})
		if status != 422 {
			t.Fatalf("reply to a reply: %d %v, want 422", status, body)
		}
	})
}
