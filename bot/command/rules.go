package command

import (
	"fmt"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
)

// RuleBook is the documentation of every rule, by rule id.
type RuleBook map[string]checks.Rule

// DefaultRuleBook collects the rule docs of all checks (built offline with
// the default configuration, so every category is present). Build it once
// at start-up.
func DefaultRuleBook() (RuleBook, error) {
	cs, err := all.Build(config.Default(), all.Env{Offline: true})
	if err != nil {
		return nil, fmt.Errorf("building checks for their rule docs: %w", err)
	}
	book := RuleBook{}
	for _, r := range checks.BuiltinRules() {
		book[r.ID] = r
	}
	for _, c := range cs {
		if d, ok := c.(checks.RuleDocumenter); ok {
			for _, r := range d.Rules() {
				book[r.ID] = r
			}
		}
	}
	return book, nil
}
