package deps

import (
	"testing"

	"github.com/wardenbot/warden/checks/deps/inventory"
)

func TestBumpFix(t *testing.T) {
	tests := []struct {
		name, path, line, pkg, version, want string
	}{
		{"pin", "requirements.txt", "requests==2.30.0", "requests", "2.30.0", "requests==2.31.0"},
		{"extras and comment kept", "api/requirements-prod.txt", "urllib3[socks] == 2.30.0  # via requests", "urllib3", "2.30.0", "urllib3[socks] == 2.31.0  # via requests"},
		{"name spelled differently", "requirements.txt", "Flask_Login==2.30.0", "flask-login", "2.30.0", "Flask_Login==2.31.0"},
		{"triple equals", "requirements.txt", "pyyaml===2.30.0", "pyyaml", "2.30.0", "pyyaml===2.31.0"},
		{"hash-pinned: no fix", "requirements.txt", "requests==2.30.0 \\", "requests", "2.30.0", ""},
		{"range: no fix", "requirements.txt", "requests>=2.30.0", "requests", "2.30.0", ""},
		{"other package on the line: no fix", "requirements.txt", "requests-oauthlib==2.30.0", "requests", "2.30.0", ""},
		{"go.mod block line", "go.mod", "\tgithub.com/golang-jwt/jwt/v4 v4.5.0 // indirect", "github.com/golang-jwt/jwt/v4", "4.5.0", "\tgithub.com/golang-jwt/jwt/v4 v4.5.2 // indirect"},
		{"go.mod require line", "svc/go.mod", "require github.com/golang-jwt/jwt/v4 v4.5.0", "github.com/golang-jwt/jwt/v4", "4.5.0", "require github.com/golang-jwt/jwt/v4 v4.5.2"},
		{"go.mod replace with the version twice: no fix", "go.mod", "replace github.com/golang-jwt/jwt/v4 v4.5.0 => github.com/golang-jwt/jwt/v4 v4.5.0", "github.com/golang-jwt/jwt/v4", "4.5.0", ""},
		{"go directive: no fix", "go.mod", "go 1.22.1", "stdlib", "1.22.1", ""},
		{"lockfile: no fix", "package-lock.json", `    "node_modules/lodash": {`, "lodash", "4.17.15", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := declared{Package: inventory.Package{Name: tt.pkg, Version: tt.version, Path: tt.path, Line: 2}, content: []string{"# header", tt.line}}
			fix := "2.31.0"
			if tt.pkg == "github.com/golang-jwt/jwt/v4" {
				fix = "4.5.2"
			}
			got := bumpFix(p, fix)
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("unexpected fix %q", got.Replacement)
			case tt.want != "" && got == nil:
				t.Errorf("no fix, want %q", tt.want)
			case got != nil && (got.Replacement != tt.want || got.StartLine != 2 || got.EndLine != 2):
				t.Errorf("fix %d-%d %q, want 2-2 %q", got.StartLine, got.EndLine, got.Replacement, tt.want)
			}
		})
	}
}
