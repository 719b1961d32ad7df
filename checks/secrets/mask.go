package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxStars caps the stars that stand for the hidden part of a secret.
const maxStars = 16

// visiblePrefix is the part of a secret warden shows: its first 4
// characters, fewer for short secrets so no more than a third is shown.
func visiblePrefix(secret string) string {
	n := utf8.RuneCountInString(secret)
	show := min(4, n/3)
	i := 0
	for k := 0; k < show; k++ {
		_, size := utf8.DecodeRuneInString(secret[i:])
		i += size
	}
	return secret[:i]
}

// describeSecret is how a message names a secret: "AKIA…, 20 chars".
func describeSecret(secret string) string {
	return fmt.Sprintf("%s…, %d chars", visiblePrefix(secret), utf8.RuneCountInString(secret))
}

// maskedForm replaces a secret in a snippet: its prefix and up to 16 stars.
func maskedForm(secret string) string {
	p := visiblePrefix(secret)
	hidden := utf8.RuneCountInString(secret) - utf8.RuneCountInString(p)
	return p + strings.Repeat("*", min(max(hidden, 1), maxStars))
}

// secretKey is the finding key: a hash of the secret, never the secret.
func secretKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// maskLine hides every given secret in line, longest first so a secret
// containing another is masked whole. cutAt >= 0 also hides everything from
// that byte offset on (a secret that continues on the next lines).
func maskLine(line string, secrets []string, cutAt int, cutSecret string) string {
	if cutAt >= 0 && cutAt <= len(line) {
		line = line[:cutAt] + maskedForm(cutSecret)
	}
	sorted := append([]string(nil), secrets...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, s := range sorted {
		if s != "" {
			line = strings.ReplaceAll(line, s, maskedForm(s))
		}
	}
	return strings.TrimRight(line, " \t\r")
}
