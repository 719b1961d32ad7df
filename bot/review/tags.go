package review

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/internal/ghname"
)

// Tag cache defaults: a repository that names thousands of action refs
// across pushes costs GitHub requests once an hour per ref, not once per
// review.
const (
	DefaultTagCacheSize = 4096
	DefaultTagCacheTTL  = time.Hour
	tagLookupTimeout    = 10 * time.Second
)

// What a ref lookup can fail with. A lookup's error reaches the check
// run's notes, so it is one of these words, never GitHub's response.
var (
	errTagNotAName    = errors.New("not a GitHub owner/repo@ref")
	errTagNotFound    = errors.New("no such tag, branch or commit")
	errTagNoAccess    = errors.New("this installation cannot read that repository")
	errTagBadAnswer   = errors.New("GitHub's answer was not a commit sha")
	errTagRateLimited = errors.New("GitHub's rate limit was reached")
	errTagUnavailable = errors.New("GitHub did not answer in time")
)

// TagCache remembers action refs resolved to commit shas (and refs found
// not to exist) across reviews, for a while. Entries are per installation:
// a private action's tags are visible only to installations that can read
// it. Safe for concurrent use.
type TagCache struct {
	lru *expirable.LRU[string, tagAnswer]
}

type tagAnswer struct {
	sha string
	err error
}

// NewTagCache holds at most size answers for ttl each.
func NewTagCache(size int, ttl time.Duration) *TagCache {
	return &TagCache{lru: expirable.NewLRU[string, tagAnswer](size, nil, ttl)}
}

// resolver is the workflows check's RefResolver for one review; a nil
// cache resolves without remembering.
func (c *TagCache) resolver(installationID int64, client *github.Client) tagResolver {
	return tagResolver{c: client, cache: c, installation: installationID}
}

// tagResolver pins action tags to commit shas through the API, for the
// workflows check's suggestions.
type tagResolver struct {
	c            *github.Client
	cache        *TagCache
	installation int64
}

func (t tagResolver) ResolveRef(ctx context.Context, owner, repo, ref string) (string, error) {
	// The check validates too; this is the last stop before a URL.
	if !ghname.Owner(owner) || !ghname.Repo(repo) || !ghname.Ref(ref) {
		return "", errTagNotAName
	}
	key := itoa(t.installation) + ":" + strings.ToLower(owner+"/"+repo) + "@" + ref
	if t.cache != nil {
		if a, ok := t.cache.lru.Get(key); ok {
			return a.sha, a.err
		}
	}
	sha, err := t.lookup(ctx, owner, repo, ref)
	if t.cache != nil && (err == nil || errors.Is(err, errTagNotFound) || errors.Is(err, errTagNoAccess)) {
		t.cache.lru.Add(key, tagAnswer{sha, err})
	}
	return sha, err
}

// lookup asks GET /repos/{owner}/{repo}/commits/{ref} for the bare sha,
// with every name path-escaped and the answer read to 64 bytes at most.
func (t tagResolver) lookup(ctx context.Context, owner, repo, ref string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, tagLookupTimeout)
	defer cancel()
	segs := strings.Split(ref, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	req, err := t.c.NewRequest(http.MethodGet, "repos/"+url.PathEscape(owner)+"/"+url.PathEscape(repo)+"/commits/"+strings.Join(segs, "/"), nil)
	if err != nil {
		return "", errTagNotAName
	}
	req.Header.Set("Accept", "application/vnd.github.sha")
	answer := &capped{max: 64}
	_, err = t.c.Do(ctx, req, answer)
	switch code := ghclient.StatusCode(err); {
	case err == nil:
	case errors.Is(err, errAnswerTooLong):
		return "", errTagBadAnswer
	case code == http.StatusNotFound || code == http.StatusUnprocessableEntity:
		return "", errTagNotFound
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "", errTagNoAccess
	default:
		if _, limited := ghclient.IsRateLimited(err); limited {
			return "", errTagRateLimited
		}
		return "", errTagUnavailable
	}
	sha := strings.TrimSpace(answer.String())
	if len(sha) != 40 || strings.Trim(strings.ToLower(sha), "0123456789abcdef") != "" {
		return "", errTagBadAnswer
	}
	return sha, nil
}

var errAnswerTooLong = errors.New("answer too long")

// capped keeps at most max bytes and fails past them, which stops the
// client reading the rest of the response.
type capped struct {
	max int
	b   strings.Builder
}

func (c *capped) Write(p []byte) (int, error) {
	if c.b.Len()+len(p) > c.max {
		return 0, errAnswerTooLong
	}
	return c.b.Write(p)
}

func (c *capped) String() string { return c.b.String() }
