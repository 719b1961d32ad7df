package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Fingerprint derives a finding's stable identity from its rule, path and
// normalised matched content — not its line number, so it survives edits
// elsewhere in the file. When a check supplies no Key, the trimmed source
// line (or message) stands in for it.
func Fingerprint(ruleID, path, key string) string {
	h := sha256.New()
	for _, part := range []string{"warden/v1", ruleID, path, normalizeKey(key)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalizeKey folds whitespace so re-indenting a line keeps its identity.
func normalizeKey(key string) string {
	return strings.Join(strings.Fields(key), " ")
}

// assignFingerprints fills Fingerprint for findings that lack one. Findings
// with the same rule, path and key (the same secret twice in a file) are told
// apart by their order in the file, so two findings never share one.
func assignFingerprints(fs []Finding) {
	seen := make(map[string]int, len(fs))
	for i := range fs {
		f := &fs[i]
		if f.Fingerprint == "" {
			f.Fingerprint = Fingerprint(f.RuleID, f.Path, f.Key)
		}
		n := seen[f.Fingerprint]
		seen[f.Fingerprint] = n + 1
		if n > 0 {
			f.Fingerprint = Fingerprint(f.RuleID, f.Path, f.Key+"\x00#"+strconv.Itoa(n))
		}
	}
}
