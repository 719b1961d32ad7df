// Package cvss computes CVSS v3.0/v3.1 base scores from vector strings, so
// that warden can rank advisories that carry a vector but no rating.
package cvss

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Rating is the qualitative severity band of a score (CVSS v3.1 §5).
type Rating string

const (
	RatingNone     Rating = "none"
	RatingLow      Rating = "low"
	RatingMedium   Rating = "medium"
	RatingHigh     Rating = "high"
	RatingCritical Rating = "critical"
)

// RatingOf maps a base score to its qualitative rating.
func RatingOf(score float64) Rating {
	switch {
	case score >= 9.0:
		return RatingCritical
	case score >= 7.0:
		return RatingHigh
	case score >= 4.0:
		return RatingMedium
	case score > 0:
		return RatingLow
	}
	return RatingNone
}

// ErrNotV3 is returned for vectors of another CVSS version (v2, v4), which
// callers rate by other means.
var ErrNotV3 = errors.New("not a CVSS v3 vector")

// baseMetrics holds the weight of every allowed value of each base metric.
// PR is special-cased in scopeChangedPR because its weight depends on S.
var baseMetrics = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"PR": {"N": 0.85, "L": 0.62, "H": 0.27},
	"UI": {"N": 0.85, "R": 0.62},
	"S":  {"U": 0, "C": 0},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

// otherMetrics are the temporal and environmental metrics a vector may also
// carry; they are validated but do not change the base score.
var otherMetrics = map[string]string{
	"E": "XUPFH", "RL": "XOTWU", "RC": "XURC",
	"CR": "XLMH", "IR": "XLMH", "AR": "XLMH",
	"MAV": "XNALP", "MAC": "XLH", "MPR": "XNLH", "MUI": "XNR", "MS": "XUC",
	"MC": "XNLH", "MI": "XNLH", "MA": "XNLH",
}

// Vector is a parsed CVSS v3 vector.
type Vector struct {
	Version string            // "3.0" or "3.1"
	Metrics map[string]string // metric -> value, base metrics always present
}

// Parse reads a vector such as "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".
// Every base metric must appear exactly once; unknown metrics are errors.
func Parse(vector string) (*Vector, error) {
	version, rest, _ := strings.Cut(strings.TrimSpace(vector), "/")
	switch version {
	case "CVSS:3.0":
		version = "3.0"
	case "CVSS:3.1":
		version = "3.1"
	default:
		return nil, fmt.Errorf("cvss vector %q: %w", clip(vector), ErrNotV3)
	}
	v := &Vector{Version: version, Metrics: make(map[string]string, 8)}
	for _, part := range strings.Split(rest, "/") {
		name, value, ok := strings.Cut(part, ":")
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("cvss vector %q: malformed metric %q", clip(vector), clip(part))
		}
		if _, dup := v.Metrics[name]; dup {
			return nil, fmt.Errorf("cvss vector %q: metric %s repeated", clip(vector), name)
		}
		if weights, base := baseMetrics[name]; base {
			if _, ok := weights[value]; !ok {
				return nil, fmt.Errorf("cvss vector %q: %s:%s is not a valid value", clip(vector), name, clip(value))
			}
		} else if allowed, other := otherMetrics[name]; !other || len(value) != 1 || !strings.Contains(allowed, value) {
			return nil, fmt.Errorf("cvss vector %q: unknown metric %s:%s", clip(vector), clip(name), clip(value))
		}
		v.Metrics[name] = value
	}
	for name := range baseMetrics {
		if _, ok := v.Metrics[name]; !ok {
			return nil, fmt.Errorf("cvss vector %q: base metric %s missing", clip(vector), name)
		}
	}
	return v, nil
}

// BaseScore computes the base score as the CVSS v3.1 specification defines
// it (§7.1), with v3.0's simpler rounding for 3.0 vectors.
func (v *Vector) BaseScore() float64 {
	m := v.Metrics
	changed := m["S"] == "C"
	pr := baseMetrics["PR"][m["PR"]]
	if changed {
		pr = scopeChangedPR(m["PR"], pr)
	}
	iss := 1 - (1-baseMetrics["C"][m["C"]])*(1-baseMetrics["I"][m["I"]])*(1-baseMetrics["A"][m["A"]])
	var impact float64
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	} else {
		impact = 6.42 * iss
	}
	if impact <= 0 {
		return 0
	}
	exploitability := 8.22 * baseMetrics["AV"][m["AV"]] * baseMetrics["AC"][m["AC"]] * pr * baseMetrics["UI"][m["UI"]]
	total := impact + exploitability
	if changed {
		total *= 1.08
	}
	return v.roundUp(math.Min(total, 10))
}

// scopeChangedPR: privileges weigh more when the attack crosses a scope.
func scopeChangedPR(value string, unchanged float64) float64 {
	switch value {
	case "L":
		return 0.68
	case "H":
		return 0.5
	}
	return unchanged
}

// roundUp is the specification's Roundup: the smallest number with one
// decimal that is >= x. v3.1 works in integers to avoid float artefacts
// (Appendix A); v3.0 used a plain ceiling.
func (v *Vector) roundUp(x float64) float64 {
	if v.Version == "3.0" {
		return math.Ceil(x*10) / 10
	}
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

// Score parses a vector and returns its base score.
func Score(vector string) (float64, error) {
	v, err := Parse(vector)
	if err != nil {
		return 0, err
	}
	return v.BaseScore(), nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
