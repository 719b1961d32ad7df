package githubtest

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/wardenbot/warden/internal/npmcache"
)

// Pinned npm packages holding GitHub's published descriptions.
const (
	OpenAPIPackage         = "@octokit/openapi@23.0.2"
	openAPIMember          = "package/generated/api.github.com.json"
	WebhookExamplesPackage = "@octokit/webhooks-examples@7.6.1"
	webhookExamplesMember  = "package/api.github.com/index.json"
)

// CacheDir is where npm tarballs and extracted files are kept, shared with
// every other test that needs an npm asset (internal/npmcache).
func CacheDir() string { return npmcache.Dir() }

// FetchOpenAPISpec returns GitHub's api.github.com.json from the pinned
// @octokit/openapi package.
func FetchOpenAPISpec(ctx context.Context, cacheDir string) ([]byte, error) {
	return FetchNPMFile(ctx, cacheDir, OpenAPIPackage, openAPIMember)
}

// FetchWebhookExamples returns the real example deliveries of the pinned
// @octokit/webhooks-examples package.
func FetchWebhookExamples(ctx context.Context, cacheDir string) ([]byte, error) {
	return FetchNPMFile(ctx, cacheDir, WebhookExamplesPackage, webhookExamplesMember)
}

// FetchNPMFile returns one file of an npm package tarball ("name@version"),
// fetched once with `npm pack` into cacheDir (CacheDir when empty).
func FetchNPMFile(ctx context.Context, cacheDir, pkg, member string) ([]byte, error) {
	if cacheDir == "" {
		cacheDir = CacheDir()
	}
	at := strings.LastIndex(pkg, "@")
	if at <= 0 {
		return nil, fmt.Errorf("githubtest: %q is not name@version", pkg)
	}
	path, err := npmcache.FileIn(ctx, cacheDir, pkg[:at], pkg[at+1:], member)
	if err != nil {
		return nil, fmt.Errorf("githubtest: %w", err)
	}
	return os.ReadFile(path)
}
