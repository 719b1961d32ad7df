package demo

import (
	"strings"

	"github.com/wardenbot/warden/bot/githubtest"
)

// The sample pull request: acme/shop#1, "Add a deploy pipeline", by
// octocat. Its first commit leaks a token that its second commit deletes;
// the second also adds a workflow, a Dockerfile, a Kubernetes manifest and
// a Flask endpoint with planted problems. The fix commit of the second act repairs
// everything a push can repair — a leaked token is not among them.
//
// The files live in Go strings, so warden scanning this repository sees Go
// source, not a workflow or a manifest; the token is assembled at run time
// so no source file holds one.

const (
	demoOwner  = "acme"
	demoRepo   = "shop"
	demoAuthor = "octocat"
	demoTitle  = "Add a deploy pipeline"
)

// PlantedSecret is the fake GitHub token the demo commits and then deletes.
// It is built at run time; tests use it to check that no output shows it.
func PlantedSecret() string {
	return strings.Join([]string{"gh", "p_", "Wd3m0", "Xq7Lk2", "Rv9Tz4", "Nb8Hc1", "Jp6Fs5", "Gy0Ma3", "K"}, "")
}

func baseFiles() map[string]string {
	return map[string]string{
		"README.md":        "# shop\n\nThe acme web shop.\n",
		"shop/__init__.py": "",
		"shop/__main__.py": "from shop.app import serve\n\nserve()\n",
		"shop/app.py": "def serve():\n" +
			"    print(\"serving on :8000\")\n",
		"requirements.txt": "flask==3.0.3\n",
	}
}

// settings is deploy/settings.py; token is the value on line 4.
func settings(token string) string {
	return "import os\n\nAPI_URL = \"https://api.example.com\"\nAPI_TOKEN = " + token + "\n"
}

// firstCommit leaks the token.
func firstCommit() map[string]string {
	return map[string]string{"deploy/settings.py": settings(`"` + PlantedSecret() + `"`)}
}

// secondCommit deletes the token (too late: it is in the history) and adds
// the rest of the pipeline.
func secondCommit() githubtest.CommitSpec {
	return githubtest.CommitSpec{
		Message: "Read the API token from the environment; add CI, image and manifest",
		Author:  demoAuthor,
		Files: map[string]string{
			"deploy/settings.py":          settings(`os.environ["API_TOKEN"]`),
			".github/workflows/greet.yml": workflow(true),
			"Dockerfile":                  dockerfile(true),
			"k8s/deployment.yaml":         manifest(true),
			"shop/users.py":               users(true),
		},
	}
}

// fixCommit is the second act's push.
func fixCommit() githubtest.CommitSpec {
	return githubtest.CommitSpec{
		Message: "Address warden's review",
		Author:  demoAuthor,
		Files: map[string]string{
			".github/workflows/greet.yml": workflow(false),
			"Dockerfile":                  dockerfile(false),
			"k8s/deployment.yaml":         manifest(false),
			"shop/users.py":               users(false),
		},
	}
}

// expr is a GitHub Actions expression, kept apart so this file reads as Go.
func expr(s string) string { return "${{ " + s + " }}" }

func workflow(vulnerable bool) string {
	const head = "name: greet\n" +
		"on: pull_request_target\n" +
		"permissions:\n" +
		"  contents: read\n" +
		"jobs:\n" +
		"  greet:\n" +
		"    runs-on: ubuntu-latest\n" +
		"    steps:\n"
	title := expr("github.event.pull_request.title")
	if vulnerable {
		return head + "      - run: echo \"Thanks for " + title + "\"\n"
	}
	return head + "      - env:\n" +
		"          TITLE: " + title + "\n" +
		"        run: echo \"Thanks for $TITLE\"\n"
}

func dockerfile(vulnerable bool) string {
	digest := "@sha256:" + strings.Repeat("5e3b9a7c", 8)
	if vulnerable {
		return "FROM python:3.7-slim" + digest + "\n" +
			"WORKDIR /app\nCOPY . .\n" +
			"RUN pip install --no-cache-dir -r requirements.txt\n" +
			"CMD [\"python\", \"-m\", \"shop\"]\n"
	}
	return "FROM python:3.12-slim" + digest + "\n" +
		"WORKDIR /app\nCOPY . .\n" +
		"RUN pip install --no-cache-dir -r requirements.txt\n" +
		"USER 10001\n" +
		"CMD [\"python\", \"-m\", \"shop\"]\n"
}

func manifest(vulnerable bool) string {
	m := "apiVersion: apps/v1\n" +
		"kind: Deployment\n" +
		"metadata:\n  name: shop\n" +
		"spec:\n" +
		"  replicas: 2\n" +
		"  selector:\n    matchLabels:\n      app: shop\n" +
		"  template:\n" +
		"    metadata:\n      labels:\n        app: shop\n" +
		"    spec:\n" +
		"      automountServiceAccountToken: false\n" +
		"      containers:\n" +
		"        - name: shop\n" +
		"          image: registry.example.com/shop:1.4.2\n" +
		"          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n" +
		"          securityContext:\n" +
		"            runAsNonRoot: true\n" +
		"            readOnlyRootFilesystem: true\n" +
		"            allowPrivilegeEscalation: false\n"
	if vulnerable {
		m += "            privileged: true\n"
	}
	return m
}

// users is a Flask endpoint; the vulnerable one builds its SQL from the
// query string (found once the code check is part of checks/all).
func users(vulnerable bool) string {
	query := `db.execute("SELECT id, email FROM users WHERE name = '" + name + "'")`
	if !vulnerable {
		query = `db.execute("SELECT id, email FROM users WHERE name = ?", (name,))`
	}
	return "import sqlite3\n\n" +
		"from flask import Flask, request\n\n" +
		"app = Flask(__name__)\n" +
		"db = sqlite3.connect(\"shop.db\", check_same_thread=False)\n\n\n" +
		"@app.route(\"/users/search\")\n" +
		"def search():\n" +
		"    name = request.args.get(\"name\", \"\")\n" +
		"    rows = " + query + ".fetchall()\n" +
		"    return {\"users\": rows}\n"
}
