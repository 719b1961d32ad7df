// Package kube finds security misconfigurations in Kubernetes workload
// manifests (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob), reporting on the exact line of the offending key.
package kube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
	"github.com/wardenbot/warden/checks/internal/limit"
	"github.com/wardenbot/warden/checks/internal/yamlguard"
)

// Options configure the Kubernetes rules.
type Options struct {
	// EOL is the end-of-life table for container images; nil disables
	// iac/eol-runtime for manifests.
	EOL *eol.Table
	// Now is the date end-of-life is judged at; zero means time.Now().
	Now time.Time
}

// MaxDocuments bounds the documents read from one file, so a crafted
// stream of empty documents cannot keep the scanner busy.
const MaxDocuments = 10_000

// ErrHelmTemplate is returned for a Helm chart template, which is not YAML
// until rendered.
var ErrHelmTemplate = errors.New("Helm template not scanned: render the chart (helm template) to check it")

// IsCandidate reports whether a file may hold manifests: a .yaml/.yml file
// that mentions apiVersion and kind.
func IsCandidate(p string, content []byte) bool {
	ext := strings.ToLower(path.Ext(p))
	if ext != ".yaml" && ext != ".yml" {
		return false
	}
	return bytes.Contains(content, []byte("apiVersion")) && bytes.Contains(content, []byte("kind"))
}

// IsHelmTemplate reports a file in a chart's templates/ directory that
// contains template actions.
func IsHelmTemplate(p string, content []byte) bool {
	inTemplates := strings.HasPrefix(p, "templates/") || strings.Contains(p, "/templates/")
	return inTemplates && bytes.Contains(content, []byte("{{"))
}

// podSpecPath is where each workload kind keeps its pod spec.
var podSpecPath = map[string][]string{
	"Pod":                   {"spec"},
	"Deployment":            {"spec", "template", "spec"},
	"StatefulSet":           {"spec", "template", "spec"},
	"DaemonSet":             {"spec", "template", "spec"},
	"ReplicaSet":            {"spec", "template", "spec"},
	"ReplicationController": {"spec", "template", "spec"},
	"Job":                   {"spec", "template", "spec"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template", "spec"},
}

// knownGroup reports whether apiVersion belongs to the group that serves
// kind, so a CRD that happens to be called "Deployment" is left alone.
func knownGroup(kind, apiVersion string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	if !strings.Contains(apiVersion, "/") {
		group = "" // core: "v1"
	}
	switch kind {
	case "Pod", "ReplicationController":
		return group == ""
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		return group == "apps" || group == "extensions"
	case "Job", "CronJob":
		return group == "batch"
	}
	return false
}

// Scan reads every document of a manifest file. A Helm template yields
// ErrHelmTemplate; a YAML error is returned with the findings of the
// documents before it. A document whose aliases would expand past
// yamlguard.Default is skipped and reported as a *limit.Exceeded, after
// the other documents are scanned.
func Scan(ctx context.Context, p string, content []byte, opts Options) ([]checks.Finding, error) {
	if IsHelmTemplate(p, content) {
		return nil, ErrHelmTemplate
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	s := &scanner{path: p, lines: strings.Split(string(content), "\n"), opts: opts}
	var docs []*yaml.Node
	var skipped *limit.Exceeded
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for i := 0; i < MaxDocuments; i++ {
		if err := ctx.Err(); err != nil {
			return s.out, err
		}
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.scanDocs(ctx, docs)
			return s.out, fmt.Errorf("%s: %w", p, err)
		}
		// The walkers below follow aliases and merge keys.
		if err := yamlguard.Check(&n, yamlguard.Default); err != nil {
			if e, ok := limit.As(err); ok && skipped == nil {
				skipped = e
			}
			continue
		}
		docs = append(docs, &n)
	}
	s.scanDocs(ctx, docs)
	if skipped != nil {
		skipped.Path, skipped.Partial = p, len(docs) > 0
		return s.out, skipped
	}
	return s.out, ctx.Err()
}

type scanner struct {
	path  string
	lines []string
	opts  Options
	out   []checks.Finding
	// accounts whose automountServiceAccountToken is false in this file
	noAutomount map[string]bool
}

func (s *scanner) scanDocs(ctx context.Context, docs []*yaml.Node) {
	var objs []*yaml.Node
	for _, d := range docs {
		root := deref(d)
		if str(get(root, "kind").val) == "List" {
			objs = append(objs, items(get(root, "items").val)...)
			continue
		}
		objs = append(objs, root)
	}
	s.noAutomount = map[string]bool{}
	for _, o := range objs {
		if str(get(o, "kind").val) == "ServiceAccount" {
			if v, ok := boolean(get(o, "automountServiceAccountToken").val); ok && !v {
				s.noAutomount[str(lookup(o, "metadata", "name").val)] = true
			}
		}
	}
	for _, o := range objs {
		if ctx.Err() != nil {
			return
		}
		s.object(o)
	}
}

func (s *scanner) object(o *yaml.Node) {
	kind, apiVersion := str(get(o, "kind").val), str(get(o, "apiVersion").val)
	keys, ok := podSpecPath[kind]
	if !ok || !knownGroup(kind, apiVersion) {
		return
	}
	name := str(lookup(o, "metadata", "name").val)
	obj := kind + "/" + name
	if ns := lookup(o, "metadata", "namespace"); ns.ok() && str(ns.val) == "default" {
		s.add(RuleDefaultNamespace, ns.key, obj, nil, "%s is deployed to the default namespace.", obj)
	}
	spec := lookup(o, keys...)
	if !spec.ok() || spec.val.Kind != yaml.MappingNode {
		return
	}
	s.podSpec(obj, spec)
}

func (s *scanner) add(id string, at *yaml.Node, key string, fix *checks.Fix, format string, args ...any) {
	s.addSev(id, at, 0, key, fix, format, args...)
}

func (s *scanner) addSev(id string, at *yaml.Node, sev checks.Severity, key string, fix *checks.Fix, format string, args ...any) {
	line := 1
	if at != nil && at.Line > 0 {
		line = at.Line
	}
	s.out = append(s.out, rules.Finding(id, rule.At{Path: s.path, Line: line, Key: id + "|" + key, Severity: sev, Fix: fix}, format, args...))
}
