package code

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/source"
)

// benchTemplates are file bodies the generator repeats with varied names:
// handlers with and without flows into sinks, helpers and plain code, so
// the engine sees a realistic mix.
var benchTemplates = map[string]string{
	".go": `package svc%[1]d

import (
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
)

type Store%[1]d struct{ db *sql.DB }

func (s *Store%[1]d) find%[1]d(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	rows, err := s.db.Query("SELECT id FROM users WHERE name = '" + name + "'")
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
}

func (s *Store%[1]d) byID%[1]d(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.FormValue("id"))
	if err != nil {
		return
	}
	s.db.QueryRow("SELECT * FROM t WHERE id = ?", id)
	fmt.Fprintf(w, "%%d", id)
}

func run%[1]d(r *http.Request) error {
	return exec.Command("git", "log", r.FormValue("rev")).Run()
}

func sum%[1]d(xs []int) int {
	t := 0
	for _, x := range xs {
		if x > 0 {
			t += x
		} else {
			t -= x
		}
	}
	return t
}
`,
	".py": `import os
import subprocess

from flask import Flask, request

app%[1]d = Flask(__name__)


@app%[1]d.route("/u%[1]d")
def user%[1]d():
    name = request.args.get("name", "")
    cur = db.cursor()
    cur.execute("SELECT * FROM users WHERE name = %%s", (name,))
    return {"name": name}


@app%[1]d.route("/p%[1]d")
def ping%[1]d():
    host = request.args.get("host")
    subprocess.run(["ping", "-c", "1", host], check=True)
    os.system("ping -c 1 " + host)
    return "ok"


def helper%[1]d(values):
    out = []
    for v in values:
        if v % 2:
            out.append(v * 2)
        else:
            out.append(v)
    return out


class Model%[1]d:
    def __init__(self, name):
        self.name = name

    def label(self):
        return f"model {self.name}"
`,
	".js": `const express = require("express");
const { exec } = require("child_process");
const db = require("./db");

const app%[1]d = express();

app%[1]d.get("/u%[1]d", (req, res) => {
  db.query("SELECT * FROM users WHERE name = ?", [req.query.name], (err, rows) => res.json(rows));
});

app%[1]d.get("/x%[1]d", (req, res) => {
  exec("ls " + req.query.dir, (err, out) => res.json({ out }));
});

function total%[1]d(items) {
  let t = 0;
  for (const i of items) {
    t += i.price * i.qty;
  }
  return t;
}

module.exports = { app%[1]d, total%[1]d };
`,
	".ts": `import { Request, Response } from "express";

interface Item%[1]d {
  id: number;
  name: string;
}

export async function list%[1]d(req: Request, res: Response): Promise<void> {
  const limit = Number(req.query.limit ?? 10);
  const items: Item%[1]d[] = await repo.find({ take: limit });
  res.json(items);
}

export function redirect%[1]d(req: Request, res: Response): void {
  res.redirect("/items/" + encodeURIComponent(String(req.query.id)));
}
`,
}

// genTree builds a mixed-language tree of about the given number of lines.
func genTree(lines int) (memTree, int) {
	tree := memTree{}
	total := 0
	exts := []string{".go", ".py", ".js", ".ts"}
	for i := 0; total < lines; i++ {
		ext := exts[i%len(exts)]
		body := fmt.Sprintf(benchTemplates[ext], i)
		// Repeat the body so files have a typical size (~150-250 lines).
		var b strings.Builder
		reps := 3
		if ext == ".go" {
			reps = 1 // a Go file cannot repeat its package clause
		}
		for r := 0; r < reps; r++ {
			b.WriteString(strings.ReplaceAll(body, fmt.Sprint(i), fmt.Sprintf("%d_%d", i, r)))
			if ext == ".py" || ext == ".ts" || ext == ".js" {
				body = body[strings.Index(body, "\n\n")+2:] // imports once
			}
		}
		p := fmt.Sprintf("pkg%d/file%d%s", i%50, i, ext)
		src := b.String()
		if ext == ".go" {
			// One package per directory, so the Go part builds (gosec
			// type-checks it in bench/code.sh).
			src = fmt.Sprintf("package pkg%d", i%50) + src[strings.Index(src, "\n"):]
		}
		tree[p] = []byte(src)
		total += strings.Count(b.String(), "\n")
	}
	return tree, total
}

// BenchmarkCodeCheck scans a generated ~200k-line Go/Python/JS/TS tree,
// and each language's share of it on its own.
func BenchmarkCodeCheck(b *testing.B) {
	tree, _ := genTree(200_000)
	for _, sub := range []struct{ name, ext string }{{"mixed", ""}, {"go", ".go"}, {"python", ".py"}, {"javascript", ".js"}, {"typescript", ".ts"}} {
		b.Run(sub.name, func(b *testing.B) {
			part := memTree{}
			var paths []string
			var bytes int64
			lines := 0
			for p, s := range tree {
				if sub.ext == "" || strings.HasSuffix(p, sub.ext) {
					part[p] = s
					paths = append(paths, p)
					bytes += int64(len(s))
					lines += strings.Count(string(s), "\n")
				}
			}
			sort.Strings(paths)
			c := New(Options{})
			b.ResetTimer()
			var findings int
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				fs, err := c.Run(context.Background(), &checks.Target{Head: part, Paths: paths})
				if err != nil {
					b.Fatal(err)
				}
				findings = len(fs)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(lines), "lines")
			b.ReportMetric(float64(len(paths))/sec, "files/s")
			b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
			b.ReportMetric(float64(lines)/sec, "lines/s")
			b.ReportMetric(float64(findings), "findings")
			if cpu := (cpuTime() - cpu0).Seconds() / float64(b.N); cpu > 0 {
				b.ReportMetric(float64(lines)/cpu, "lines/cpu-s")
				b.ReportMetric(float64(bytes)/cpu/1e6, "MB/cpu-s")
			}
		})
	}
}

// TestWriteBenchTree writes the generated ~200k-line tree, with a go.mod
// for its Go part, to the directory named by WARDEN_BENCH_WRITE, so other
// tools can be run on the same input (bench/code.sh --mixed).
func TestWriteBenchTree(t *testing.T) {
	dir := os.Getenv("WARDEN_BENCH_WRITE")
	if dir == "" {
		t.Skip("set WARDEN_BENCH_WRITE")
	}
	tree, lines := genTree(200_000)
	tree["go.mod"] = []byte("module example.invalid/benchtree\n\ngo 1.22\n")
	for p, b := range tree {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Printf("wrote %d files, %d lines to %s\n", len(tree), lines, dir)
}

// TestScanDirForBench times the check on a directory named by
// WARDEN_BENCH_DIR (bench/code.sh uses it) and, when WARDEN_BENCH_GOSEC
// names gosec's JSON report for the same directory, lists gosec issues of
// the shared rules that warden does not report.
func TestScanDirForBench(t *testing.T) {
	dir := os.Getenv("WARDEN_BENCH_DIR")
	if dir == "" {
		t.Skip("set WARDEN_BENCH_DIR")
	}
	tree, err := source.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opts Options
	}{{"default", Options{}}, {"audit", Options{Audit: true}}} {
		start, cpu0 := time.Now(), cpuTime()
		rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{New(mode.opts)}})
		if err != nil {
			t.Fatal(err)
		}
		elapsed, cpu := time.Since(start), cpuTime()-cpu0
		var goFiles, goLines int
		var size int64
		for _, fi := range mustFiles(t, tree) {
			size += fi.Size
			if strings.HasSuffix(fi.Path, ".go") {
				goFiles++
				b, _ := tree.ReadFile(context.Background(), fi.Path)
				goLines += strings.Count(string(b), "\n")
			}
		}
		byRule := map[string]int{}
		for _, f := range rep.Findings {
			byRule[f.RuleID]++
		}
		fmt.Printf("warden code (%s): %d findings in %d files (%d Go files, %d Go lines) in %.2f s wall, %.2f s CPU; %.0f files/s, %.2f MB/s %v\n",
			mode.name, len(rep.Findings), rep.Stats.Files, goFiles, goLines, elapsed.Seconds(), cpu.Seconds(),
			float64(rep.Stats.Files)/elapsed.Seconds(), float64(size)/1e6/elapsed.Seconds(), byRule)
		if js := os.Getenv("WARDEN_BENCH_GOSEC"); js != "" {
			compareGosec(t, js, dir, rep.Findings, mode.name)
		}
	}
}

func mustFiles(t *testing.T, tree checks.Tree) []checks.FileInfo {
	fs, err := tree.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// compareGosec reports, for gosec's issues of the rules warden shares, how
// many warden also reports at the same file and line (±2 lines: gosec
// points at the argument, warden at the call).
func compareGosec(t *testing.T, jsonPath, dir string, fs []checks.Finding, mode string) {
	raw, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Issues []struct {
			RuleID string `json:"rule_id"`
			File   string `json:"file"`
			Line   string `json:"line"`
		} `json:"Issues"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	type key struct {
		path, group string
	}
	lines := map[key][]int{}
	for _, f := range fs {
		k := key{f.Path, ruleGroup(f.RuleID)}
		lines[k] = append(lines[k], f.StartLine)
	}
	shared, found := 0, 0
	var missed []string
	for _, is := range rep.Issues {
		groups, ok := gosecRules[is.RuleID]
		if !ok {
			continue
		}
		shared++
		rel, _ := filepath.Rel(dir, is.File)
		rel = filepath.ToSlash(rel)
		var line int
		fmt.Sscanf(is.Line, "%d", &line)
		hit := false
		for _, g := range strings.Split(groups, "|") {
			for _, l := range lines[key{rel, g}] {
				if l >= line-2 && l <= line+2 {
					hit = true
				}
			}
		}
		if hit {
			found++
		} else {
			missed = append(missed, fmt.Sprintf("%s %s:%d", is.RuleID, rel, line))
		}
	}
	fmt.Printf("gosec issues of shared rules: %d; warden (%s) reports %d of them\n", shared, mode, found)
	sort.Strings(missed)
	for _, m := range missed {
		fmt.Printf("  not reported by warden (%s): %s\n", mode, m)
	}
}
