package terraform

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/wardenbot/warden/checks"
)

// placeholder stands in for interpolations warden cannot resolve inside a
// heredoc policy, so the JSON around them can still be read.
const placeholder = "__warden_unknown__"

// policyDoc reads an IAM policy document from an attribute written as
// jsonencode({...}), a JSON string or a heredoc with interpolations.
func (m *module) policyDoc(a attr) map[string]any {
	if !a.present() {
		return nil
	}
	if call, ok := a.a.Expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 {
		doc, _ := toGo(m.value(m.ctx, call.Args[0])).(map[string]any)
		return doc
	}
	text, ok := a.val.(string)
	if !ok {
		text, ok = m.renderTemplate(a.a.Expr)
	}
	if !ok {
		return nil
	}
	var doc map[string]any
	if json.Unmarshal([]byte(text), &doc) != nil {
		return nil
	}
	return doc
}

// renderTemplate renders a template's literal parts, evaluating
// interpolations where possible and substituting a placeholder otherwise.
func (m *module) renderTemplate(e hclsyntax.Expression) (string, bool) {
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = unguarded(w.Wrapped)
	}
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", false
	}
	var sb strings.Builder
	for _, p := range t.Parts {
		if s, ok := str(toGo(m.value(m.ctx, p))); ok {
			sb.WriteString(s)
		} else {
			sb.WriteString(placeholder)
		}
	}
	return sb.String(), true
}

// statement is one IAM policy statement in plain form.
type statement struct {
	effect     string
	actions    []string
	resources  []string
	principals []string // "*" for everyone
	condition  bool
}

func statements(doc map[string]any) []statement {
	var raw []any
	switch s := doc["Statement"].(type) {
	case []any:
		raw = s
	case map[string]any:
		raw = []any{s}
	}
	var out []statement
	for _, r := range raw {
		st, ok := r.(map[string]any)
		if !ok {
			continue
		}
		eff, _ := str(st["Effect"])
		s := statement{effect: eff, actions: strs(st["Action"]), resources: strs(st["Resource"])}
		switch p := st["Principal"].(type) {
		case string:
			s.principals = []string{p}
		case map[string]any:
			for _, v := range p {
				s.principals = append(s.principals, strs(v)...)
			}
		}
		if c, ok := st["Condition"]; ok && c != nil {
			s.condition = true
		}
		out = append(out, s)
	}
	return out
}

func contains(xs []string, want ...string) bool {
	for _, x := range xs {
		for _, w := range want {
			if x == w {
				return true
			}
		}
	}
	return false
}

// isAdmin reports an Allow of every action on every resource.
func (s statement) isAdmin() bool {
	return strings.EqualFold(s.effect, "allow") && contains(s.actions, "*", "*:*") && contains(s.resources, "*")
}

// escalatingServices are services whose every action on every resource
// lets the holder grant itself anything else: as bad as "*".
var escalatingServices = map[string]bool{"iam": true, "sts": true, "organizations": true}

// serviceWildcard reports an Allow of every action of one service
// ("s3:*") on every resource. Severity is medium (0: the rule's high) for
// services that lead to full control.
func (s statement) serviceWildcard() (string, checks.Severity, bool) {
	if !strings.EqualFold(s.effect, "allow") || !contains(s.resources, "*") {
		return "", 0, false
	}
	for _, a := range s.actions {
		svc, rest, ok := strings.Cut(a, ":")
		if !ok || rest != "*" || svc == "" || svc == "*" {
			continue
		}
		svc = strings.ToLower(svc)
		if escalatingServices[svc] {
			return svc, 0, true
		}
		return svc, checks.SeverityMedium, true
	}
	return "", 0, false
}

// isPublic reports an Allow to everyone without conditions.
func (s statement) isPublic() bool {
	return strings.EqualFold(s.effect, "allow") && contains(s.principals, "*") && !s.condition
}
