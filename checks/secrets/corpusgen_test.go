package secrets

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestWriteBenchCorpus writes the benchmark corpus to the directory named by
// WARDEN_SECRETS_CORPUS (bench/secrets.sh uses it); it is skipped otherwise.
// WARDEN_SECRETS_CORPUS_MB sets the size (default 50).
func TestWriteBenchCorpus(t *testing.T) {
	dir := os.Getenv("WARDEN_SECRETS_CORPUS")
	if dir == "" {
		t.Skip("WARDEN_SECRETS_CORPUS not set")
	}
	mb := 50
	if v, err := strconv.Atoi(os.Getenv("WARDEN_SECRETS_CORPUS_MB")); err == nil && v > 0 {
		mb = v
	}
	for p, body := range newCorpus(2026).generate(mb << 20) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
