package cvss

import (
	"errors"
	"testing"
)

// Scores published by NVD / FIRST for these vectors.
func TestBaseScoreKnownVectors(t *testing.T) {
	tests := []struct {
		vector string
		score  float64
		rating Rating
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, RatingCritical},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, RatingCritical},
		{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, RatingHigh},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, RatingHigh},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, RatingHigh},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, RatingHigh},
		{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, RatingHigh},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, RatingMedium},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, RatingHigh},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, RatingHigh},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 6.5, RatingMedium},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3, RatingMedium},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 6.5, RatingMedium},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, RatingCritical},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, RatingCritical},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, RatingMedium},
		{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, RatingHigh},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 3.7, RatingLow},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, RatingNone},
		// Temporal metrics do not change the base score.
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8, RatingCritical},
		// Metric order is free.
		{"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", 9.8, RatingCritical},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, RatingCritical},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, RatingMedium},
	}
	for _, tt := range tests {
		t.Run(tt.vector, func(t *testing.T) {
			got, err := Score(tt.vector)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if got != tt.score {
				t.Errorf("score = %.1f, want %.1f", got, tt.score)
			}
			if r := RatingOf(got); r != tt.rating {
				t.Errorf("rating = %s, want %s", r, tt.rating)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, vector string
		notV3        bool
	}{
		{"v4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", true},
		{"v2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", true},
		{"empty", "", true},
		{"missing metric", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", false},
		{"bad value", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false},
		{"repeated", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", false},
		{"unknown metric", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", false},
		{"no colon", "CVSS:3.1/AV:N/AC", false},
		{"trailing slash", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.vector)
			if err == nil {
				t.Fatal("Parse accepted an invalid vector")
			}
			if got := errors.Is(err, ErrNotV3); got != tt.notV3 {
				t.Errorf("errors.Is(ErrNotV3) = %v, want %v (%v)", got, tt.notV3, err)
			}
		})
	}
}

// The v3.1 Roundup exists because 0.1 steps are not exact in binary floats:
// it rounds to 5 decimals first, so float noise below that is not rounded up.
func TestRoundUp(t *testing.T) {
	v31 := &Vector{Version: "3.1"}
	for in, want := range map[float64]float64{4.0: 4.0, 4.000001: 4.0, 4.00001: 4.1, 4.02: 4.1, 9.9999: 10, 0.0: 0} {
		if got := v31.roundUp(in); got != want {
			t.Errorf("roundUp(%v) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
	f.Add("CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N/E:U")
	f.Add("CVSS:3.1/AV:N")
	f.Fuzz(func(t *testing.T, vector string) {
		v, err := Parse(vector)
		if err != nil {
			return
		}
		s := v.BaseScore()
		if s < 0 || s > 10 {
			t.Fatalf("score %v out of range for %q", s, vector)
		}
	})
}
