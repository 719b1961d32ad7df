package code

import (
	"path"
	"strings"
)

// testOnlyRules are pattern rules whose findings in test code are almost
// always deliberate: tests disable TLS checks against local servers, hash
// fixtures with SHA-1, seed math/rand and chmod scratch files.
var testOnlyRules = map[string]bool{
	"code/tls-verify-disabled": true, "code/weak-hash": true, "code/insecure-random": true,
	"code/world-writable": true, "code/bind-all-interfaces": true, "code/weak-cipher": true,
}

// isTestFile recognises test code by the conventions of each language.
func isTestFile(p string) bool {
	base := path.Base(p)
	switch {
	case strings.HasSuffix(base, "_test.go"):
		return true
	case strings.HasSuffix(base, ".py"):
		if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" {
			return true
		}
	case strings.Contains(base, ".test.") || strings.Contains(base, ".spec."):
		return true
	}
	for _, dir := range strings.Split(path.Dir(p), "/") {
		switch dir {
		case "tests", "__tests__", "test", "spec":
			return true
		}
	}
	return false
}
