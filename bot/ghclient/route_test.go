package ghclient

import "testing"

// Metric and log labels are route templates: a repository, user, branch,
// file path or sha never becomes a label, so one tenant's names cannot
// grow the metric series.
func TestRouteTemplate(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/repos/acme/shop/pulls/7", "/repos/{owner}/{repo}/pulls/{pull_number}"},
		{"/repos/acme/shop/pulls/7/files", "/repos/{owner}/{repo}/pulls/{pull_number}/files"},
		{"/repos/acme/shop/pulls/7/reviews", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"},
		{"/repos/acme/shop/pulls/7/comments/99/replies", "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"},
		{"/repos/acme/shop/pulls/comments/99", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"},
		{"/repos/acme/shop/pulls/comments/99/reactions", "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"},
		{"/repos/acme/shop/pulls", "/repos/{owner}/{repo}/pulls"},
		{"/repos/acme/shop", "/repos/{owner}/{repo}"},
		{"/repos/acme/shop/check-runs", "/repos/{owner}/{repo}/check-runs"},
		{"/repos/acme/shop/check-runs/5/annotations", "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations"},
		{"/repos/acme/shop/commits/0123456789abcdef0123456789abcdef01234567", "/repos/{owner}/{repo}/commits/{ref}"},
		{"/repos/acme/shop/commits/releases/v1/check-runs", "/repos/{owner}/{repo}/commits/{ref}/check-runs"},
		{"/repos/acme/shop/commits/abc/pulls", "/repos/{owner}/{repo}/commits/{ref}/pulls"},
		{"/repos/acme/shop/contents/.github/warden.yml", "/repos/{owner}/{repo}/contents/{path}"},
		{"/repos/acme/shop/contents/docs/files", "/repos/{owner}/{repo}/contents/{path}/files"},
		{"/repos/acme/shop/git/ref/heads/feature/x", "/repos/{owner}/{repo}/git/ref/{ref}"},
		{"/repos/acme/shop/git/tags/0123abc", "/repos/{owner}/{repo}/git/tags/{tag_sha}"},
		{"/repos/acme/shop/compare/main...feature", "/repos/{owner}/{repo}/compare/{basehead}"},
		{"/repos/acme/shop/collaborators/bob/permission", "/repos/{owner}/{repo}/collaborators/{username}/permission"},
		{"/repos/acme/shop/issues/3/comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments"},
		{"/repos/acme/shop/issues/comments/8", "/repos/{owner}/{repo}/issues/comments/{comment_id}"},
		{"/repos/acme/shop/issues/comments/8/reactions", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"},
		{"/repos/acme/shop/installation", "/repos/{owner}/{repo}/installation"},
		{"/orgs/acme/teams/security/memberships/bob", "/orgs/{org}/teams/{team_slug}/memberships/{username}"},
		{"/app/installations/42/access_tokens", "/app/installations/{installation_id}/access_tokens"},
		{"/app/installations/42", "/app/installations/{installation_id}"},
		{"/app/installations", "/app/installations"},
		{"/installation/repositories", "/installation/repositories"},
		{"/graphql", "/graphql"},
		{"/api/graphql", "/graphql"},
		// Traps: names that look like vocabulary, and paths outside it.
		{"/repos/pulls/comments/pulls/7", "/repos/{owner}/{repo}/pulls/{pull_number}"},
		{"/repos/acme/shop/secret-scanning/alerts/1", "/repos/{owner}/{repo}/{other}"},
		{"/user/../../etc/passwd", "/user/{other}"},
		{"/totally/unknown", "/{other}"},
		{"/repos/acme", "/repos/{other}"},
		{"", "/{other}"},
	} {
		if got := routeTemplate(tc.path); got != tc.want {
			t.Errorf("routeTemplate(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
