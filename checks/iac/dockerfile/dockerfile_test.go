package dockerfile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/iac/eol"
)

var now = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// Each vulnerable case has a safe twin that differs only in the fix.
func TestRules(t *testing.T) {
	cases := []struct {
		name, src, rule string
		line            int // 0: the rule must not fire
	}{
		{"no user", "FROM alpine:3.20\nRUN echo\nCMD [\"sh\"]\n", RuleRootUser, 1},
		{"user set", "FROM alpine:3.20\nUSER 1000\nCMD [\"sh\"]\n", RuleRootUser, 0},
		{"user root last", "FROM alpine:3.20\nUSER app\nUSER root\n", RuleRootUser, 3},
		{"user inherited from stage", "FROM alpine:3.20 AS base\nUSER app\nFROM base\nCMD x\n", RuleRootUser, 0},
		{"distroless nonroot", "FROM gcr.io/distroless/static:nonroot\nCMD x\n", RuleRootUser, 0},
		{"latest", "FROM nginx:latest\nUSER 1\n", RuleImageLatest, 1},
		{"untagged", "FROM nginx\nUSER 1\n", RuleImageLatest, 1},
		{"tagged", "FROM nginx:1.27\nUSER 1\n", RuleImageLatest, 0},
		{"stage reference is no image", "FROM nginx:1.27 AS build\nFROM build\nUSER 1\n", RuleImageLatest, 0},
		{"arg without default", "ARG IMG\nFROM $IMG\nUSER 1\n", RuleImageLatest, 0},
		{"arg default latest", "ARG IMG=nginx\nFROM ${IMG}\nUSER 1\n", RuleImageLatest, 2},
		{"tag only", "FROM nginx:1.27\nUSER 1\n", RuleImageDigest, 1},
		{"digest", "FROM nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\nUSER 1\n", RuleImageDigest, 0},
		{"scratch", "FROM scratch\nUSER 1\n", RuleImageLatest, 0},
		{"curl pipe bash", "FROM a:1\nRUN apt-get update && \\\n    curl -fsSL https://example.com/i.sh | bash -\n", RuleCurlPipeShell, 3},
		{"wget sh -c", "FROM a:1\nRUN sh -c \"$(wget -qO- https://example.com/i.sh)\"\n", RuleCurlPipeShell, 2},
		{"heredoc", "FROM a:1\nRUN <<EOF\nset -e\ncurl -s https://example.com/i | sh\nEOF\n", RuleCurlPipeShell, 4},
		{"curl to tar", "FROM a:1\nRUN curl -fsSL https://example.com/x.tgz | tar -xz\n", RuleCurlPipeShell, 0},
		{"curl verified", "FROM a:1\nRUN curl -fsSLo i.sh https://example.com/i.sh && echo 'abc  i.sh' | sha256sum -c && sh i.sh\n", RuleCurlPipeShell, 0},
		{"add url", "FROM a:1\nADD https://example.com/a.tgz /a\n", RuleAddRemote, 2},
		{"add url checksum", "FROM a:1\nADD --checksum=sha256:abc https://example.com/a.tgz /a\n", RuleAddRemote, 0},
		{"add local", "FROM a:1\nADD app.tgz /a\n", RuleAddRemote, 0},
		{"env secret", "FROM a:1\nENV APP_ENV=prod \\\n    STRIPE_SECRET_KEY=sk_live_x\n", RuleSecretEnv, 3},
		{"arg secret default", "FROM a:1\nARG GITHUB_TOKEN=ghp_example\n", RuleSecretEnv, 2},
		{"arg secret no default", "FROM a:1\nARG GITHUB_TOKEN\n", RuleSecretEnv, 0},
		{"env secret from arg", "FROM a:1\nARG T\nENV API_TOKEN=$T\n", RuleSecretEnv, 0},
		{"env gpg key", "FROM a:1\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n", RuleSecretEnv, 0}, // warden:allow secrets: a public GPG key id, not a credential
		{"legacy env form", "FROM a:1\nENV DB_PASSWORD hunter2\n", RuleSecretEnv, 2},
		{"sudo", "FROM a:1\nRUN sudo -u app make\n", RuleSudo, 2},
		{"install sudo package", "FROM a:1\nRUN apt-get install -y sudo=1.9\n", RuleSudo, 0},
		{"chmod 777", "FROM a:1\nRUN chmod -R 777 /app\n", RuleChmodWorld, 2},
		{"chmod o+w", "FROM a:1\nRUN chmod o+w /app\n", RuleChmodWorld, 2},
		{"copy chmod", "FROM a:1\nCOPY --chmod=777 a /a\n", RuleChmodWorld, 2},
		{"chmod sticky tmp", "FROM a:1\nRUN chmod 1777 /tmp\n", RuleChmodWorld, 0},
		{"chmod 755", "FROM a:1\nRUN chmod 755 /app && chmod +x /app/run\n", RuleChmodWorld, 0},
		{"expose 22", "FROM a:1\nEXPOSE 80 22/tcp\n", RuleExposeSSH, 2},
		{"expose 2222", "FROM a:1\nEXPOSE 2222\n", RuleExposeSSH, 0},
		{"apt unpinned", "FROM a:1\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", RulePackagePinning, 2},
		{"apt pinned", "FROM a:1\nRUN apt-get install -y curl=8.5.0-2 && rm -rf /var/lib/apt/lists/*\n", RulePackagePinning, 0},
		{"apk virtual pinned", "FROM a:1\nRUN apk add --no-cache --virtual .build gcc=13.2.1-r0\n", RulePackagePinning, 0},
		{"pip unpinned", "FROM a:1\nRUN pip install --no-cache-dir flask\n", RulePackagePinning, 2},
		{"pip requirements", "FROM a:1\nRUN pip install --no-cache-dir -r requirements.txt .\n", RulePackagePinning, 0},
		{"apt cache kept", "FROM a:1\nRUN apt-get update && apt-get install -y curl=1\n", RulePackageCache, 2},
		{"apk cache kept", "FROM a:1\nRUN apk add curl=1\n", RulePackageCache, 2},
		{"apk no-cache", "FROM a:1\nRUN apk add --no-cache curl=1\n", RulePackageCache, 0},
		{"cache mount", "FROM a:1\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl=1\n", RulePackageCache, 0},
		{"cache in builder only", "FROM a:1 AS b\nRUN apk add gcc=1\nFROM c:1\nCOPY --from=b /x /x\n", RulePackageCache, 0},
		{"eol base", "FROM python:2.7-slim\n", eol.RuleID, 1},
		{"supported base", "FROM python:3.13-slim\n", eol.RuleID, 0},
		{"eol variant", "FROM node:22-buster\n", eol.RuleID, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := Scan(context.Background(), "Dockerfile", []byte(c.src), Options{EOL: eol.Default(), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, f := range fs {
				if f.RuleID == c.rule {
					lines = append(lines, f.StartLine)
				}
			}
			switch {
			case c.line == 0 && len(lines) > 0:
				t.Errorf("%s fired at %v on the safe twin", c.rule, lines)
			case c.line > 0 && (len(lines) != 1 || lines[0] != c.line):
				t.Errorf("%s at lines %v, want exactly line %d", c.rule, lines, c.line)
			}
		})
	}
}

func TestRootUserFix(t *testing.T) {
	src := "FROM alpine:3.20\nRUN apk add --no-cache curl=8\nCMD [\"app\"]\n"
	fs, _ := Scan(context.Background(), "Dockerfile", []byte(src), Options{Now: now})
	for _, f := range fs {
		if f.RuleID == RuleRootUser {
			if f.Fix == nil || f.Fix.StartLine != 3 || f.Fix.Replacement != "USER 65532:65532\nCMD [\"app\"]" {
				t.Fatalf("fix = %+v", f.Fix)
			}
			return
		}
	}
	t.Fatal("no root-user finding")
}

func TestIsDockerfile(t *testing.T) {
	for p, want := range map[string]bool{"Dockerfile": true, "svc/api.Dockerfile": true, "Dockerfile.prod": true, "Containerfile": true,
		"docs/Dockerfile.md": false, "dockerfile.go": false, "Dockerfile.j2": false} {
		if got := IsDockerfile(p); got != want {
			t.Errorf("IsDockerfile(%q) = %v", p, got)
		}
	}
}

func FuzzDockerfile(f *testing.F) {
	f.Add([]byte("FROM a\nRUN curl x | sh\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fs, err := Scan(context.Background(), "Dockerfile", src, Options{EOL: eol.Default(), Now: now})
		if err != nil {
			// BuildKit's parser is the only thing that may refuse a file.
			if !strings.HasPrefix(err.Error(), "parse Dockerfile: ") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, fd := range fs {
			if err := fd.Validate(); err != nil {
				t.Fatal(err)
			}
			if fd.StartLine > lines {
				t.Fatalf("%s at line %d of a %d-line file", fd.RuleID, fd.StartLine, lines)
			}
		}
	})
}
