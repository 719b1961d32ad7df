package workflows

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks/internal/limit"
	"github.com/wardenbot/warden/checks/internal/yamlguard"
)

// fileKind tells a workflow from an action's metadata file.
type fileKind int

const (
	kindWorkflow fileKind = iota + 1
	kindAction
)

// classify says whether p is a workflow (.github/workflows/*.yml, which
// GitHub reads without descending into sub-directories) or an action's
// metadata (action.yml anywhere), or neither.
func classify(p string) (fileKind, bool) {
	base := path.Base(p)
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return 0, false
	}
	if path.Dir(p) == ".github/workflows" {
		return kindWorkflow, true
	}
	if base == "action.yml" || base == "action.yaml" {
		return kindAction, true
	}
	return 0, false
}

// file is one parsed workflow or composite action with its source lines.
// Actions are parsed as a synthetic one-job workflow whose lines and
// columns are those of the original file, so every position applies to
// the source unchanged.
type file struct {
	Path     string
	Kind     fileKind
	Lines    []string
	Workflow *actionlint.Workflow
	// Triggers are the workflow's event names, lower case; empty for an
	// action, whose callers are unknown.
	Triggers map[string]bool
	// DockerImage is an action's runs.image when it is a docker:// ref.
	DockerImage *actionlint.String
	// exprOver is the first expression too costly to parse, if any.
	exprOver *limit.Exceeded
}

// parseFile parses src; a nil file with an error means the file cannot be
// analysed (the error says why, for a note).
func parseFile(p string, kind fileKind, src []byte) (*file, error) {
	f := &file{Path: p, Kind: kind, Lines: splitLines(string(src)), Triggers: map[string]bool{}}
	if kind == kindAction {
		return parseAction(f, src)
	}
	if err := checkAliases(p, src); err != nil {
		return nil, err
	}
	w, errs := actionlint.Parse(src)
	if w == nil {
		return nil, parseError(errs)
	}
	if len(w.Jobs) == 0 && len(w.On) == 0 {
		return nil, fmt.Errorf("not a workflow: %w", parseError(errs))
	}
	f.Workflow = w
	for _, ev := range w.On {
		f.Triggers[strings.ToLower(ev.EventName())] = true
	}
	return f, nil
}

// checkAliases refuses a document whose aliases would expand past
// yamlguard.Default: actionlint resolves every alias into the tree it
// walks, so a billion laughs in a matrix is a billion nodes. A document
// that does not parse is left for actionlint to report.
func checkAliases(p string, src []byte) error {
	if !bytes.ContainsRune(src, '&') || !bytes.ContainsRune(src, '*') {
		return nil // no anchor, or no alias
	}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil {
		return nil
	}
	return guardAliases(p, &doc)
}

func guardAliases(p string, doc *yaml.Node) error {
	err := yamlguard.Check(doc, yamlguard.Default)
	if over, ok := limit.As(err); ok {
		over.Path = p
	}
	return err
}

func parseError(errs []*actionlint.Error) error {
	if len(errs) == 0 {
		return fmt.Errorf("no jobs and no triggers")
	}
	e := errs[0]
	return fmt.Errorf("line %d: %s", e.Line, e.Message)
}

// splitLines splits on "\n" and drops a "\r" before it, so that column
// arithmetic on a line matches what the YAML parser counted.
func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// parseAction reads an action.yml. Docker actions contribute their image;
// composite actions their steps, re-parsed with actionlint by blanking
// every line outside runs.steps and writing a two-line job header into the
// blanked lines just above it.
func parseAction(f *file, src []byte) (*file, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("could not parse as YAML: %w", err)
	}
	if err := guardAliases(f.Path, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("action metadata is not a mapping")
	}
	runs := mappingValue(doc.Content[0], "runs")
	if runs == nil || runs.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("action metadata has no runs section")
	}
	if img := mappingValue(runs, "image"); img != nil && img.Kind == yaml.ScalarNode && strings.HasPrefix(img.Value, "docker://") {
		f.DockerImage = &actionlint.String{Value: img.Value, Pos: &actionlint.Pos{Line: img.Line, Col: img.Column}}
	}
	stepsKey := mappingKey(runs, "steps")
	if stepsKey == nil {
		return f, nil
	}
	synthetic, err := compositeAsWorkflow(f.Lines, stepsKey.Line, stepsKey.Column)
	if err != nil {
		return nil, err
	}
	w, errs := actionlint.Parse([]byte(synthetic))
	if w == nil {
		return nil, parseError(errs)
	}
	f.Workflow = w
	return f, nil
}

// compositeAsWorkflow builds the synthetic workflow text for a composite
// action whose "steps:" key sits at line:col (1-based).
func compositeAsWorkflow(lines []string, line, col int) (string, error) {
	indent := col - 1
	if line < 3 || line > len(lines) || indent < 2 || len(lines[line-1]) < indent || strings.TrimSpace(lines[line-1][:indent]) != "" {
		return "", fmt.Errorf("runs.steps at line %d has a layout warden cannot analyse", line)
	}
	out := make([]string, len(lines))
	out[line-3] = "jobs:"
	out[line-2] = " composite:"
	out[line-1] = lines[line-1]
	for i := line; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		lead := len(l) - len(strings.TrimLeft(l, " "))
		inBlock := trimmed == "" || strings.HasPrefix(trimmed, "#") || lead > indent ||
			(lead == indent && strings.HasPrefix(trimmed, "-"))
		if !inBlock {
			break
		}
		out[i] = l
	}
	return strings.Join(out, "\n"), nil
}

func mappingKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// line returns source line n (1-based) or "".
func (f *file) line(n int) string {
	if n < 1 || n > len(f.Lines) {
		return ""
	}
	return f.Lines[n-1]
}
