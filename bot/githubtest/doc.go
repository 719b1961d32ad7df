// Package githubtest is a strict, in-memory fake of the parts of GitHub that
// warden talks to: the REST API (under a non-empty base path, like GitHub
// Enterprise Server), a small GraphQL surface, git smart HTTP, and webhook
// delivery, all on one loopback listener.
//
// The fake is as strict as GitHub where warden can go wrong: every request is
// checked against GitHub's published OpenAPI description (when it could be
// loaded), App JWTs and installation tokens follow GitHub's rules, and the
// documented limits of check runs and reviews are enforced with GitHub's
// error bodies. Faults (5xx, rate limits, timeouts after a write committed,
// git stalls) can be scripted, and every request is logged so tests can
// assert "exactly once".
//
// In a test:
//
//	s := githubtest.StartTB(t, githubtest.Options{})
//	w := githubtest.WorldTB(t, s, githubtest.WorldSpec{
//		HeadFiles: map[string]string{"main.go": "package main\n// AKIA...\n"},
//	})
//	// configure warden: WARDEN_GITHUB_API_URL=s.APIURL(), WARDEN_APP_ID=w.App.ID,
//	// WARDEN_PRIVATE_KEY=string(s.PrivateKeyPEM()), WARDEN_WEBHOOK_SECRET=w.App.WebhookSecret
//	body, _ := githubtest.PayloadsTB(t, s).PullRequest("opened", w.Repo.FullName(), w.PR.Number)
//	s.Deliver(ctx, wardenURL+"/webhook", "pull_request", body)
//	// ... then assert on s.CheckRuns(w.Repo.FullName(), w.HeadSHA),
//	// s.Reviews(...), s.RequestsTo("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
//	githubtest.AssertNoViolations(t, s)
//
// Nothing but testing.go depends on package testing, so `warden demo` can
// run the same fake in-process with Start, NewWorld and NewPayloads.
package githubtest
