package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
	"github.com/wardenbot/warden/checks/iac/internal/secretname"
)

func (d *doc) checkEnv(n *parser.Node, s *stage) {
	// ENV's AST is (key value sep)* triples.
	for k := n.Next; k != nil && k.Next != nil; {
		v := k.Next
		name, val := k.Value, strings.Trim(v.Value, `"'`)
		s.env[name] = val
		if secretname.IsSecretName(name) && secretname.IsLiteral(val) {
			d.add(RuleSecretEnv, d.locate(n, regexp.MustCompile(`\b`+regexp.QuoteMeta(name)+`\b`)), 0, "env:"+name, nil,
				"ENV %s sets a literal credential that is stored in the image configuration.", name)
		}
		k = v.Next
		if k != nil {
			k = k.Next // skip the separator node
		}
	}
}

func (d *doc) checkArg(n *parser.Node) {
	for a := n.Next; a != nil; a = a.Next {
		name, val, hasVal := strings.Cut(a.Value, "=")
		if hasVal && secretname.IsSecretName(name) && secretname.IsLiteral(val) {
			d.add(RuleSecretEnv, d.locate(n, regexp.MustCompile(`\b`+regexp.QuoteMeta(name)+`\b`)), 0, "arg:"+name, nil,
				"ARG %s has a literal default credential that is recorded in the image history.", name)
		}
	}
}

func atLine(p string, line int, key string, sev checks.Severity, fix *checks.Fix) rule.At {
	return rule.At{Path: p, Line: line, Key: key, Severity: sev, Fix: fix}
}
