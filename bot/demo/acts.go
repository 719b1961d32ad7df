package demo

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/checks/format"
)

// actResult is what one act measured and saw.
type actResult struct {
	head      string
	toRun     time.Duration // webhook sent → check run completed
	run       githubtest.CheckRun
	comments  []comment // warden's threads after the act
	published logEvent
}

const (
	routeCheckRuns = "/repos/{owner}/{repo}/check-runs"
	routeCheckRun  = "/repos/{owner}/{repo}/check-runs/{check_run_id}"
	routeReviews   = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
	routeReplies   = "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"
)

// act1: the pull request is opened.
func (d *demo) act1(ctx context.Context) (actResult, error) {
	d.printf("\n%s\n", d.p.bold(fmt.Sprintf("Act 1 · %s opens the pull request", demoAuthor)))
	res, err := d.review(ctx, "opened", d.world.HeadSHA)
	if err != nil {
		return res, err
	}
	d.printf("  %s\n", d.p.dim("(against real GitHub, warden spaces its writes 1 s apart, as GitHub asks of Apps)"))
	d.printf("\n%s\n\n", d.p.bold("What a reviewer sees"))
	d.printCheckRun(res.run)
	if rs := d.gh.Reviews(d.world.Repo.FullName(), d.world.PR.Number); len(rs) > 0 {
		d.printf("\n  %s %s\n", d.p.bold("Review by "+rs[0].User), d.p.dim("· "+strings.ToLower(rs[0].State)))
		for _, l := range d.p.block(rs[0].Body, "    ") {
			d.printf("%s\n", l)
		}
	}
	d.printf("\n")
	d.p.printComments(d.out, res.comments)
	return res, nil
}

// act2: the author pushes a fix.
func (d *demo) act2(ctx context.Context, first actResult) (actResult, error) {
	before := d.world.HeadSHA
	head, err := d.gh.PushToPullRequest(d.world.Repo.FullName(), d.world.PR.Number, fixCommit())
	if err != nil {
		return actResult{}, fmt.Errorf("pushing the fix: %w", err)
	}
	d.world.HeadSHA = head
	d.printf("\n%s\n", d.p.bold(fmt.Sprintf("Act 2 · %s pushes %s to fix what warden found (the token stays in history)", demoAuthor, short(head))))
	res, err := d.review(ctx, "synchronize", head, githubtest.WithBefore(before))
	if err != nil {
		return res, err
	}
	d.printf("\n%s\n\n", d.p.bold("What the reviewer sees now"))
	d.printCheckRun(res.run)
	d.printf("\n")
	d.printThreads(res.comments)
	d.printf("\n  %s\n", d.duplicates(first, res))
	return res, nil
}

// review delivers one pull_request webhook and narrates warden's work on
// head until it has published.
func (d *demo) review(ctx context.Context, action, head string, opts ...githubtest.PayloadOption) (actResult, error) {
	res := actResult{head: head}
	repo, pr := d.world.Repo.FullName(), d.world.PR.Number
	body, err := d.pays.PullRequest(action, repo, pr, opts...)
	if err != nil {
		return res, fmt.Errorf("webhook payload: %w", err)
	}
	d.printf("\n")
	start := time.Now()
	d.waiting = "the webhook's answer"
	dr, err := d.gh.Deliver(ctx, d.url+"/webhook", "pull_request", body)
	if err != nil {
		return res, fmt.Errorf("delivering the webhook: %w", err)
	}
	if dr.Status != http.StatusAccepted {
		return res, fmt.Errorf("warden answered the webhook with %d: %s", dr.Status, oneLine(string(dr.Body)))
	}
	n := &narration{d: d, start: start}
	answered := start.Add(dr.Duration)
	n.line("webhook received", fmt.Sprintf("pull_request.%s · signed · %d in %s", action, dr.Status, ms(dr.Duration)), answered)

	var cloned, checked, queued time.Time
	steps := []step{
		{label: "queued", wait: "the job to be queued", detect: func(s *snapshot) (time.Time, string, bool) {
			ev, ok := d.sink.find(start, func(e logEvent) bool { return e.Message == "webhook" && e.Delivery == dr.ID && e.Outcome == "queued" })
			queued = ev.At
			// Logged as the answer leaves: shown once the answer arrived.
			return maxTime(ev.At, answered), "a durable job in SQLite (River)", ok
		}},
		{label: "picked up", wait: "a worker to take the job", detect: func(s *snapshot) (time.Time, string, bool) {
			if len(s.reqs) == 0 {
				return time.Time{}, "", false
			}
			at := s.reqs[0].Time
			return at, fmt.Sprintf("by a worker after %s in the queue", ms(max(0, at.Sub(queued)))), true
		}},
		{label: "check run", wait: "the check run to start", detect: func(s *snapshot) (time.Time, string, bool) {
			for _, r := range s.reqs {
				if r.Route == routeCheckRuns && r.Method == http.MethodPost && r.Status < 300 || r.Route == routeCheckRun && r.Method == http.MethodPatch && strings.Contains(string(r.Body), `"in_progress"`) {
					return r.Time.Add(r.Duration), "in_progress on " + short(head), true
				}
			}
			return time.Time{}, "", false
		}},
		{label: "cloned", wait: "the clone", detect: func(s *snapshot) (time.Time, string, bool) {
			var last githubtest.RequestRecord
			count := 0
			for _, r := range s.reqs {
				if r.Route == "git" {
					last, count = r, count+1
				}
			}
			if count == 0 {
				return time.Time{}, "", false
			}
			end := last.Time.Add(last.Duration)
			for _, r := range s.reqs {
				if r.Route != "git" && !r.Time.Before(end) {
					cloned = end
					return end, fmt.Sprintf("%s + %s over smart HTTP · %s", d.world.PR.BaseRef, short(head), plural(count, "git request", "git requests")), true
				}
			}
			return time.Time{}, "", false
		}},
		{label: "checks run", wait: "the checks", detect: func(s *snapshot) (time.Time, string, bool) {
			for _, r := range s.reqs {
				if r.Route != "git" && !r.Time.Before(cloned) {
					checked = r.Time
					names := checkNames()
					return r.Time, fmt.Sprintf("%s in %s · %s", plural(len(names), "check", "checks"), ms(r.Time.Sub(cloned)), strings.Join(names, ", ")), true
				}
			}
			return time.Time{}, "", false
		}},
		{label: "check run", wait: "the completed check run", detect: func(s *snapshot) (time.Time, string, bool) {
			for _, r := range s.reqs {
				if r.Route == routeCheckRun && r.Method == http.MethodPatch && strings.Contains(string(r.Body), `"completed"`) && !r.Time.Before(checked) {
					run, ok := d.completedRun(head)
					if !ok {
						return time.Time{}, "", false
					}
					res.run, res.toRun = run, r.Time.Add(r.Duration).Sub(start)
					return r.Time.Add(r.Duration), run.Conclusion + " · " + oneLine(run.OutputTitle), true
				}
			}
			return time.Time{}, "", false
		}},
		{label: "review", wait: "the review", optional: true, detect: func(s *snapshot) (time.Time, string, bool) {
			for _, r := range s.reqs {
				if r.Route == routeReviews && r.Method == http.MethodPost && r.Status < 300 {
					return r.Time.Add(r.Duration), d.reviewDetail(), true
				}
			}
			return time.Time{}, "", false
		}},
		{label: "reply", wait: "replies on fixed findings", afterPublish: true, many: func(s *snapshot) []stepEvent {
			var out []stepEvent
			for _, r := range s.reqs {
				if r.Route == routeReplies && r.Method == http.MethodPost && r.Status < 300 {
					out = append(out, stepEvent{at: r.Time.Add(r.Duration), detail: d.replyDetail(r.Path)})
				}
			}
			return out
		}},
	}
	ev, err := n.follow(ctx, head, steps)
	if err != nil {
		return res, err
	}
	res.published = ev
	if res.run.ID == 0 {
		res.run, _ = d.completedRun(head)
		res.toRun = time.Since(start)
	}
	res.comments = threads(d.gh, repo, pr, d.world.App.BotLogin)
	return res, nil
}

// replyDetail names the thread a reply went to: path:line and rule.
func (d *demo) replyDetail(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var id int64
	if len(parts) >= 2 {
		fmt.Sscan(parts[len(parts)-2], &id)
	}
	all := d.gh.ReviewComments(d.world.Repo.FullName(), d.world.PR.Number)
	for _, rc := range all {
		if rc.ID != id {
			continue
		}
		text := fmt.Sprintf("“Fixed in %s.” → %s:%d", short(d.world.HeadSHA), rc.Path, rc.Line)
		for _, o := range all {
			if o.ID != rc.ID && o.InReplyTo == 0 && o.Path == rc.Path && o.Line == rc.Line {
				return text + " " + d.p.dim(parseComment(rc).rule) // which of the two
			}
		}
		return text
	}
	return fmt.Sprintf("“Fixed in %s.”", short(d.world.HeadSHA))
}

func (d *demo) completedRun(sha string) (githubtest.CheckRun, bool) {
	for _, r := range d.gh.CheckRuns(d.world.Repo.FullName(), sha) {
		if r.Name == "warden" && r.Status == "completed" {
			return r, true
		}
	}
	return githubtest.CheckRun{}, false
}

func (d *demo) reviewDetail() string {
	rs := d.gh.Reviews(d.world.Repo.FullName(), d.world.PR.Number)
	if len(rs) == 0 {
		return "posted"
	}
	last := rs[len(rs)-1]
	n := 0
	for _, c := range d.gh.ReviewComments(d.world.Repo.FullName(), d.world.PR.Number) {
		if c.ReviewID == last.ID && c.InReplyTo == 0 {
			n++
		}
	}
	return fmt.Sprintf("%s · %s on added lines", strings.ToLower(last.State), plural(n, "inline comment", "inline comments"))
}

// step is one thing warden does that the narration waits for.
type step struct {
	label        string
	wait         string // for the timeout message
	optional     bool   // may not happen (no review when nothing is new)
	afterPublish bool   // complete only once warden says it has published
	detect       func(*snapshot) (at time.Time, detail string, ok bool)
	// many, instead of detect, is a step that happens any number of times
	// (a reply per fixed finding); each is printed as it is seen.
	many func(*snapshot) []stepEvent
}

type stepEvent struct {
	at     time.Time
	detail string
}

// snapshot is the fake's request log since the webhook was sent.
type snapshot struct {
	reqs      []githubtest.RequestRecord
	published bool
}

type narration struct {
	d     *demo
	start time.Time
}

// follow polls the fake and warden's log lines, printing each step in order
// as soon as it is seen, until warden logs that it published the review of
// head.
func (n *narration) follow(ctx context.Context, head string, steps []step) (logEvent, error) {
	d := n.d
	next, shown, warned := 0, 0, 0
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		ev, published := d.sink.find(n.start, func(e logEvent) bool {
			return e.SHA == head && (e.Message == "review published" || e.Message == "check run completed without a scan")
		})
		snap := &snapshot{published: published}
		for _, r := range d.gh.Requests() {
			if !r.Time.Before(n.start) {
				snap.reqs = append(snap.reqs, r)
			}
		}
		for _, w := range d.sink.warnings(n.start, &warned) {
			msg := w.Message
			if w.Error != "" {
				msg += ": " + w.Error
			}
			n.d.printf("  %s %s\n", n.d.p.paint(ansiYellow, "!"), n.d.p.paint(ansiYellow, format.Sanitize(oneLine(msg))))
		}
		for next < len(steps) {
			s := steps[next]
			if s.many != nil {
				evs := s.many(snap)
				for ; shown < len(evs); shown++ {
					n.line(s.label, evs[shown].detail, evs[shown].at)
				}
				if !published {
					break
				}
				next++
				continue
			}
			if s.afterPublish && !published {
				break
			}
			at, detail, ok := s.detect(snap)
			if !ok {
				if published && s.optional {
					next++
					continue
				}
				break
			}
			n.line(s.label, detail, at)
			next++
		}
		if published && next == len(steps) {
			return ev, nil
		}
		if published {
			// Everything is written; a step that never showed is skipped.
			next++
			continue
		}
		if next < len(steps) {
			d.waiting = steps[next].wait
		}
		select {
		case <-ctx.Done():
			return logEvent{}, ctx.Err()
		case <-tick.C:
		}
	}
}

// line prints one narrated step: marker, label, detail and the time since
// the webhook was sent.
func (n *narration) line(label, detail string, at time.Time) {
	p := n.d.p
	n.d.printf("  %s %-17s%s %s\n", p.paint(ansiGreen, "✓"), label, padRight(detail, detailWidth), p.dim(fmt.Sprintf("%8s", ms(max(0, at.Sub(n.start))))))
}

// printCheckRun shows the check run as a reviewer sees it in the Checks
// tab: conclusion, title, and the summary rendered for a terminal.
func (d *demo) printCheckRun(run githubtest.CheckRun) {
	icon, colour := "•", ansiYellow
	switch run.Conclusion {
	case "success":
		icon, colour = "✓", ansiGreen
	case "failure":
		icon, colour = "✗", ansiRed
	}
	d.printf("  %s %s · %s · %s\n\n", d.p.paint(colour, icon), d.p.bold("Check run warden"), d.p.paint(colour, run.Conclusion), d.p.inline(oneLine(run.OutputTitle)))
	for _, l := range d.p.block(run.OutputSummary, "    ") {
		d.printf("%s\n", l)
	}
}

// printThreads lists warden's review threads with their state after the
// fix: resolved with warden's reply, or still open.
func (d *demo) printThreads(cs []comment) {
	d.printf("  %s\n", d.p.bold("Review threads"))
	wPlace := 0
	for _, c := range cs {
		wPlace = max(wPlace, len(fmt.Sprintf("%s:%d", c.raw.Path, c.raw.Line)))
	}
	for _, c := range cs {
		place := fmt.Sprintf("%-*s", wPlace, fmt.Sprintf("%s:%d", c.raw.Path, c.raw.Line))
		state := d.p.paint(ansiGreen, "✓ resolved")
		tail := ""
		for _, r := range c.replies {
			if r.User == d.world.App.BotLogin {
				tail = "↳ " + d.p.inline(oneLine(r.Body))
			}
		}
		if !c.resolved {
			state = d.p.paint(ansiRed, "● open    ")
			tail = d.p.dim("still found on " + short(d.world.HeadSHA))
			if strings.HasPrefix(c.rule, "secrets/") {
				tail = d.p.dim("a pushed secret stays leaked: revoke it")
			}
		}
		d.printf("    %s  %s  %s  %-28s %s\n", state, place, d.p.severity(c.severity), c.rule, tail)
	}
}

const detailWidth = 64

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// padRight pads s (which may hold colour codes) to width visible runes.
func padRight(s string, width int) string {
	n := visibleLen(s)
	if n >= width {
		return s
	}
	return s + strings.Repeat(" ", width-n)
}

func visibleLen(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		default:
			n++
		}
	}
	return n
}

// duplicates checks that the second scan posted nothing twice.
func (d *demo) duplicates(first, second actResult) string {
	seen := map[string]int{}
	dup := 0
	for _, c := range second.comments {
		key := c.id
		if key == "" {
			key = fmt.Sprint(c.raw.ID)
		}
		seen[key]++
		if seen[key] == 2 {
			dup++
		}
	}
	fresh := len(second.comments) - len(first.comments)
	switch {
	case dup > 0:
		return d.p.paint(ansiRed, fmt.Sprintf("✗ %s posted twice", plural(dup, "finding was", "findings were")))
	case fresh > 0:
		return fmt.Sprintf("%s %s, none of them repeated", d.p.paint(ansiGreen, "✓"), plural(fresh, "new comment", "new comments"))
	}
	return fmt.Sprintf("%s no new comments: %s before the push, %d after, none repeated", d.p.paint(ansiGreen, "✓"), plural(len(first.comments), "thread", "threads"), len(second.comments))
}

// total is the closing line.
func (d *demo) total(first, second actResult) {
	found := len(first.comments)
	fixed := 0
	for _, c := range second.comments {
		if c.resolved {
			fixed++
		}
	}
	left := len(second.comments) - fixed
	d.printf("\n%s %s · webhook to completed check run in %s, and %s after the fix · %s: %d fixed, %d left\n",
		d.p.paint(ansiGreen, "✓"), d.p.bold(fmt.Sprintf("Done in %.1f s", time.Since(d.started).Seconds())), ms(first.toRun), ms(second.toRun),
		plural(found, "finding", "findings"), fixed, left)
}

func httpOK(ctx context.Context, url string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK, nil
}
