package secrets

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
)

// maxDecodeDepth is gitleaks' default number of decoding passes (base64,
// hex, percent and unicode escapes) over text that contains encoded data.
const maxDecodeDepth = 5

// rule is one detection rule with what warden needs around it.
type rule struct {
	cfg    config.Rule // gitleaks semantics: regex, secret group, entropy, allowlists, path
	id     string      // warden rule id: "secrets/" + cfg.RuleID
	meta   ruleMeta
	span   span
	warden bool // one of warden's own rules rather than gitleaks'
	// anchor, when set, is ^K·S for a rule shaped P·K·S (see anchor.go).
	anchor *anchorInfo
	// accept, when set, must approve a secret for it to be reported.
	accept func(secret string) bool
}

// ruleSet is the compiled, immutable set of rules shared by every scan.
type ruleSet struct {
	rules      []*rule
	byID       map[string]*rule // by gitleaks rule id
	keywords   *keywordIndex
	kwRules    [][]int32 // keyword id -> indexes into rules
	nKeywords  int       // automaton ids past this are required literals
	required   [][]int32 // rule index -> ids of the literals it requires
	noKeywords []*rule   // rules that run on every file
	global     []*config.Allowlist
	// decoder runs gitleaks' own detector (same rules) over the few
	// fragments holding encoded data, to find secrets inside them.
	decoder *detect.Detector
}

var (
	sharedOnce sync.Once
	shared     *ruleSet
	sharedErr  error
)

// loadRuleSet builds the rule set once per process.
func loadRuleSet() (*ruleSet, error) {
	sharedOnce.Do(func() {
		silenceGitleaks()
		shared, sharedErr = buildRuleSet()
	})
	return shared, sharedErr
}

// silenceGitleaks replaces gitleaks' package-global logger, which writes to
// stderr and logs found secrets at trace level, with a no-op one. It is the
// only way to configure it; warden never wants its output.
func silenceGitleaks() {
	logging.Logger = zerolog.Nop()
}

// gitleaksConfig loads gitleaks' embedded default rules through a private
// viper instance (gitleaks' own helper uses the global one).
func gitleaksConfig() (config.Config, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return config.Config{}, fmt.Errorf("reading gitleaks default rules: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, fmt.Errorf("decoding gitleaks default rules: %w", err)
	}
	cfg, err := vc.Translate()
	if err != nil {
		return config.Config{}, fmt.Errorf("compiling gitleaks default rules: %w", err)
	}
	return cfg, nil
}

func buildRuleSet() (*ruleSet, error) {
	cfg, err := gitleaksConfig()
	if err != nil {
		return nil, err
	}
	rs := &ruleSet{byID: map[string]*rule{}, global: cfg.Allowlists}
	add := func(c config.Rule, warden bool, accept func(string) bool) error {
		if len(c.RequiredRules) > 0 || c.SkipReport {
			// Composite rules are not in the default set; refuse rather
			// than evaluate them wrongly if an upgrade brings some.
			return fmt.Errorf("rule %s: composite (required) rules are not supported", c.RuleID)
		}
		r := &rule{cfg: c, id: "secrets/" + c.RuleID, warden: warden, accept: accept, span: span{unbounded, unbounded}}
		if c.Regex != nil {
			sp, err := regexSpan(c.Regex.String())
			if err != nil {
				return fmt.Errorf("rule %s: %w", c.RuleID, err)
			}
			r.span = sp
			r.anchor, _ = keywordAnchor(c.Regex.String(), c.Keywords)
		}
		r.meta = metaFor(c, warden)
		rs.byID[c.RuleID] = r
		rs.rules = append(rs.rules, r)
		return nil
	}
	for _, id := range cfg.OrderedRules {
		if err := add(cfg.Rules[id], false, nil); err != nil {
			return nil, err
		}
	}
	for _, w := range wardenRules() {
		c := w.cfg
		if _, dup := rs.byID[c.RuleID]; dup {
			return nil, fmt.Errorf("warden rule %s shadows a gitleaks rule", c.RuleID)
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("warden rule %s: %w", c.RuleID, err)
		}
		if err := add(c, true, w.accept); err != nil {
			return nil, err
		}
	}

	// One automaton for every keyword of every rule.
	kwID := map[string]int32{}
	var words []string
	for i, r := range rs.rules {
		if len(r.cfg.Keywords) == 0 {
			rs.noKeywords = append(rs.noKeywords, r)
			continue
		}
		for _, k := range r.cfg.Keywords {
			k = strings.ToLower(k)
			id, ok := kwID[k]
			if !ok {
				id = int32(len(words))
				kwID[k] = id
				words = append(words, k)
				rs.kwRules = append(rs.kwRules, nil)
			}
			rs.kwRules[id] = appendUnique(rs.kwRules[id], int32(i))
		}
	}
	// Required literals share the automaton, after the keywords.
	rs.nKeywords = len(words)
	all := append([]string(nil), words...)
	rs.required = make([][]int32, len(rs.rules))
	for i, r := range rs.rules {
		if r.cfg.Regex == nil || len(r.cfg.Keywords) == 0 {
			continue
		}
		for _, lit := range requiredLiterals(r.cfg.Regex.String()) {
			if id, ok := kwID[lit]; ok && int(id) < rs.nKeywords && containsID(rs.kwRules[id], int32(i)) {
				continue // already one of its keywords
			}
			id, ok := kwID[lit]
			if !ok || int(id) < rs.nKeywords {
				id = int32(len(all))
				kwID[lit] = id
				all = append(all, lit)
			}
			rs.required[i] = append(rs.required[i], id)
		}
	}
	rs.keywords = newKeywordIndex(all)

	// The decoding detector sees the same rules, warden's included.
	full := cfg
	full.Rules = make(map[string]config.Rule, len(rs.rules))
	full.Keywords = make(map[string]struct{}, len(words))
	full.OrderedRules = nil
	for _, r := range rs.rules {
		full.Rules[r.cfg.RuleID] = r.cfg
		full.OrderedRules = append(full.OrderedRules, r.cfg.RuleID)
	}
	for _, w := range words {
		full.Keywords[w] = struct{}{}
	}
	// Paths are allowed or not before the decoder is reached (scan), and
	// gitleaks:allow is a marker the runner weighs: the decoder does neither.
	full.Allowlists = nil
	for _, a := range cfg.Allowlists {
		contentOnly := *a
		contentOnly.Paths = nil
		full.Allowlists = append(full.Allowlists, &contentOnly)
	}
	rs.decoder = detect.NewDetector(full)
	rs.decoder.MaxDecodeDepth = maxDecodeDepth
	rs.decoder.IgnoreGitleaksAllow = true
	return rs, nil
}

func containsID(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func appendUnique(xs []int32, x int32) []int32 {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// sortedRules returns the rules ordered by id, for documentation.
func (rs *ruleSet) sortedRules() []*rule {
	out := append([]*rule(nil), rs.rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
