package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
)

// MaxSize bounds a configuration file; anything larger is refused.
const MaxSize = 256 << 10

// Error is one problem in a configuration file, at a line.
type Error struct {
	File    string
	Line    int
	Column  int
	Message string
}

func (e Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

// Errors are all the problems found in one parse; it is never empty.
type Errors []Error

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", es[0].Error(), len(es)-1)
}

// Parse reads one configuration file on top of the defaults. name is used
// in error messages only.
func Parse(name string, data []byte) (*Config, error) {
	return Load(Source{Name: name, Data: data})
}

// Source is one layer of configuration: the organisation's defaults, then
// the repository's file.
type Source struct {
	Name string
	Data []byte
	// Org marks the organisation's defaults: only they may set the
	// organisation-only keys (locked, config_approval), and the keys they
	// lock no later layer may change.
	Org bool
}

// orgOnlyKeys may be set only in the organisation's defaults: a repository
// cannot unlock its own keys or waive review of its own configuration.
var orgOnlyKeys = map[string]bool{"locked": true, "config_approval": true}

// layer is a parsed Source.
type layer struct {
	Source
	root *yaml.Node
}

// Load merges layers in order (later ones refine earlier ones: mappings merge
// key by key, lists and values replace) over the defaults and validates the
// result strictly. Layers with empty Data are skipped. A later layer that
// changes a key an organisation layer locked is an error naming the key: the
// stricter choice, since a silently overridden value would leave the
// repository's file saying one thing and warden doing another.
func Load(layers ...Source) (*Config, error) {
	var merged, orgMerged *yaml.Node
	var errs Errors
	var repoLayers []layer
	orgName := ""
	for _, l := range layers {
		if len(l.Data) == 0 {
			continue
		}
		root, err := parseNode(l)
		if err != nil {
			var e Errors
			if errors.As(err, &e) {
				errs = append(errs, e...)
				continue
			}
			return nil, err
		}
		if root == nil {
			continue
		}
		errs = append(errs, validate(l.Name, root, reflect.TypeOf(Config{}), "")...)
		if l.Org {
			orgMerged, orgName = mergeNodes(orgMerged, root), l.Name
		} else {
			errs = append(errs, orgOnlySet(l.Name, root)...)
			repoLayers = append(repoLayers, layer{Source: l, root: root})
		}
		merged = mergeNodes(merged, root)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cfg := Default()
	if merged != nil {
		if err := merged.Decode(cfg); err != nil {
			return nil, Errors{{File: layers[len(layers)-1].Name, Message: err.Error()}}
		}
	}
	if len(cfg.Locked) > 0 && len(repoLayers) > 0 {
		org := Default()
		if err := orgMerged.Decode(org); err != nil {
			return nil, Errors{{File: orgName, Message: err.Error()}}
		}
		if errs := lockedChanges(org, cfg, orgName, repoLayers); len(errs) > 0 {
			return nil, errs
		}
	}
	return cfg, nil
}

// orgOnlySet reports organisation-only keys in a repository's file.
func orgOnlySet(file string, root *yaml.Node) Errors {
	var errs Errors
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; orgOnlyKeys[k.Value] {
			errs = append(errs, Error{File: file, Line: k.Line, Column: k.Column,
				Message: fmt.Sprintf("%s can only be set in the organisation's defaults (%s in the organisation's .github repository)", k.Value, Path)})
		}
	}
	return errs
}

// lockedChanges compares every locked key of the organisation's
// configuration with the effective one, and names the repository line that
// changed it.
func lockedChanges(org, eff *Config, orgName string, repoLayers []layer) Errors {
	var errs Errors
	for _, key := range eff.Locked {
		was, ok1 := fieldAt(reflect.ValueOf(org).Elem(), key)
		now, ok2 := fieldAt(reflect.ValueOf(eff).Elem(), key)
		if !ok1 || !ok2 || reflect.DeepEqual(was.Interface(), now.Interface()) {
			continue
		}
		e := Error{Message: fmt.Sprintf("%s is locked by the organisation's defaults (%s): a repository cannot change it; remove it from this file or ask the organisation", key, orgName)}
		for _, l := range repoLayers {
			if n := nodeAt(l.root, key); n != nil {
				e.File, e.Line, e.Column = l.Name, n.Line, n.Column
			}
		}
		if e.File == "" {
			e.File = repoLayers[len(repoLayers)-1].Name
		}
		errs = append(errs, e)
	}
	return errs
}

// fieldAt finds a dotted yaml key path in a Config value.
func fieldAt(v reflect.Value, key string) (reflect.Value, bool) {
	for _, seg := range strings.Split(key, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		found := false
		for i := 0; i < v.NumField(); i++ {
			if strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0] == seg {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// nodeAt is the deepest node a file sets along a dotted key path (the key
// itself, or the mapping that replaces it), or nil when it sets none of it.
func nodeAt(root *yaml.Node, key string) *yaml.Node {
	var at *yaml.Node
	n := root
	for _, seg := range strings.Split(key, ".") {
		if n == nil || n.Kind != yaml.MappingNode {
			return at
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				at, next = n.Content[i], n.Content[i+1]
				break
			}
		}
		if next == nil {
			return at
		}
		n = next
	}
	return at
}

// validLockedKey accepts the dotted path of a key a repository may set.
func validLockedKey(key string) error {
	top, _, _ := strings.Cut(key, ".")
	if orgOnlyKeys[top] {
		return fmt.Errorf("%q is set by the organisation only; it needs no lock", key)
	}
	if _, ok := fieldAt(reflect.ValueOf(Default()).Elem(), key); !ok || key == "" {
		return fmt.Errorf("%q is not a configuration key (write keys as in the file, dotted: fail_on, checks.secrets)", key)
	}
	return nil
}

// validApprover accepts who may act: a permission level, the security
// team or a team; allowNone for settings that can be switched off.
func validApprover(allowNone bool) func(string) error {
	return func(s string) error {
		switch {
		case s == BySecurityTeam || s == ByWrite || s == ByAdmin, teamRe.MatchString(s), allowNone && s == ByNobody:
			return nil
		case allowNone:
			return fmt.Errorf("%q is not security_team, write, admin, none or an org/team-slug", s)
		}
		return fmt.Errorf("%q is not security_team, write, admin or an org/team-slug", s)
	}
}

func parseNode(l Source) (*yaml.Node, error) {
	if len(l.Data) > MaxSize {
		return nil, Errors{{File: l.Name, Message: fmt.Sprintf("file is %d bytes, over the %d byte limit", len(l.Data), MaxSize)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(l.Data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, Errors{yamlError(l.Name, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Errors{{File: l.Name, Line: extra.Line, Column: extra.Column, Message: "only one YAML document is allowed"}}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errors{{File: l.Name, Line: root.Line, Column: root.Column, Message: "the configuration must be a mapping of keys to values"}}
	}
	if err := checkAliases(l.Name, root, 0); err != nil {
		return nil, err
	}
	return root, nil
}

// checkAliases refuses anchors and aliases: a configuration file has no use
// for them and they are the way to a billion-laughs expansion.
func checkAliases(file string, n *yaml.Node, depth int) error {
	if depth > 32 {
		return Errors{{File: file, Line: n.Line, Column: n.Column, Message: "nesting is too deep"}}
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return Errors{{File: file, Line: n.Line, Column: n.Column, Message: "YAML anchors and aliases are not supported"}}
	}
	for _, c := range n.Content {
		if err := checkAliases(file, c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlError(file string, err error) Error {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscanf(m[1], "%d", &line)
		return Error{File: file, Line: line, Column: 1, Message: "invalid YAML: " + m[2]}
	}
	return Error{File: file, Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// mergeNodes overlays b on a: mappings merge key by key, anything else in b
// replaces a.
func mergeNodes(a, b *yaml.Node) *yaml.Node {
	if a == nil || a.Kind != yaml.MappingNode || b.Kind != yaml.MappingNode {
		return b
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: a.Tag, Line: a.Line, Column: a.Column}
	out.Content = append(out.Content, a.Content...)
	for i := 0; i+1 < len(b.Content); i += 2 {
		k, v := b.Content[i], b.Content[i+1]
		replaced := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value == k.Value {
				out.Content[j+1] = mergeNodes(out.Content[j+1], v)
				replaced = true
				break
			}
		}
		if !replaced {
			out.Content = append(out.Content, k, v)
		}
	}
	return out
}

var severityType = reflect.TypeOf(checks.Severity(0))

// validate walks a node against the Go type it will decode into, reporting
// unknown keys (with the closest known key), wrong kinds and bad values.
func validate(file string, n *yaml.Node, t reflect.Type, path string) Errors {
	errAt := func(n *yaml.Node, format string, args ...any) Errors {
		return Errors{{File: file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)}}
	}
	where := path
	if where == "" {
		where = "the top level"
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" && t.Kind() != reflect.String {
		return nil // an empty value keeps the default
	}
	switch {
	case t == severityType:
		if n.Kind != yaml.ScalarNode {
			return errAt(n, "%s must be a severity (critical, high, medium, low or info)", path)
		}
		if _, err := checks.ParseSeverity(n.Value); err != nil {
			return errAt(n, "%s: %v", path, err)
		}
		return nil
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return errAt(n, "%s must be a mapping", where)
		}
		known := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			known[tag] = f
			names = append(names, tag)
		}
		var errs Errors
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if line, dup := seen[k.Value]; dup {
				errs = append(errs, errAt(k, "%q is set twice (first on line %d)", k.Value, line)...)
				continue
			}
			seen[k.Value] = k.Line
			f, ok := known[k.Value]
			if !ok {
				msg := fmt.Sprintf("unknown key %q in %s", k.Value, where)
				if s := closest(k.Value, names); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				errs = append(errs, errAt(k, "%s", msg)...)
				continue
			}
			errs = append(errs, validate(file, v, f.Type, join(path, k.Value))...)
		}
		return errs
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return errAt(n, "%s must be a list", path)
		}
		var errs Errors
		for _, c := range n.Content {
			errs = append(errs, validate(file, c, t.Elem(), path+"[]")...)
		}
		return errs
	case t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!null") {
			return errAt(n, "%s must be a string", path)
		}
		if check, ok := stringRules[path]; ok {
			if err := check(n.Value); err != nil {
				return errAt(n, "%s: %v", path, err)
			}
		}
		return nil
	case t.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return errAt(n, "%s must be true or false", path)
		}
		return nil
	case t.Kind() == reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			return errAt(n, "%s must be a whole number", path)
		}
		var v int
		if err := n.Decode(&v); err != nil {
			return errAt(n, "%s must be a whole number", path)
		}
		if r, ok := intRanges[path]; ok && (v < r[0] || v > r[1]) {
			return errAt(n, "%s must be between %d and %d", path, r[0], r[1])
		}
		return nil
	}
	return errAt(n, "%s has an unsupported type", path)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var teamRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func validGlob(s string) error {
	_, err := checks.NewPathMatcher([]string{s})
	return err
}

// stringRules validate string values by their dotted path.
var stringRules = map[string]func(string) error{
	"paths.ignore[]":                   validGlob,
	"approvals[].paths[]":              validGlob,
	"checks.secrets.allowlist.paths[]": validGlob,
	"checks.secrets.allowlist.regexes[]": func(s string) error {
		_, err := regexp.Compile(s)
		return err
	},
	"checks.secrets.allowlist.fingerprints[]": func(s string) error {
		if !regexp.MustCompile(`^(W-)?[0-9a-f]{8,64}$`).MatchString(s) {
			return fmt.Errorf("%q is not a finding id (W- and 8 hex digits) or fingerprint", s)
		}
		return nil
	},
	"security_team": func(s string) error {
		if s != "" && !teamRe.MatchString(s) {
			return fmt.Errorf("%q is not a team (want org/team-slug)", s)
		}
		return nil
	},
	"on_unscanned": func(s string) error {
		switch s {
		case UnscannedFailure, UnscannedActionRequired, UnscannedNeutral:
			return nil
		}
		return fmt.Errorf("%q is not failure, action_required or neutral", s)
	},
	"approvals[].by":     validApprover(false),
	"ignore_by.secrets":  validApprover(false),
	"ignore_by.critical": validApprover(false),
	"ignore_by.default":  validApprover(false),
	"config_approval":    validApprover(true),
	"locked[]":           validLockedKey,
}

var intRanges = map[string][2]int{
	"comments.max_per_scan": {0, 100},
}

// closest suggests the known key nearest to a misspelt one.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
