package format

import (
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/wardenbot/warden/checks"
)

const (
	sarifSchema      = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion     = "2.1.0"
	informationURI   = "https://github.com/wardenbot/warden"
	defaultHelpURI   = "https://github.com/wardenbot/warden/blob/main/docs/rules.md"
	fingerprintKeyV1 = "warden/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Results     []sarifResult     `json:"results"`
	Invocations []sarifInvocation `json:"invocations"`
	// VersionControlProvenance and baselines are left to the uploader.
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      *sarifText         `json:"fullDescription,omitempty"`
	Help                 *sarifText         `json:"help,omitempty"`
	HelpURI              string             `json:"helpUri"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Category         string   `json:"category"`
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifResultProps struct {
	Category string `json:"category"`
	Severity string `json:"severity"`
	ID       string `json:"id"`
	Commit   string `json:"commit,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"` // absent for a note on a whole file
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	EndLine     int `json:"endLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations,omitempty"`
	Properties *sarifNoteProps `json:"properties,omitempty"`
}

type sarifNoteProps struct {
	Check     string `json:"check"`
	Unscanned bool   `json:"unscanned"`
}

// SARIFLevel maps a severity onto SARIF's three result levels.
func SARIFLevel(s checks.Severity) string {
	switch {
	case s >= checks.SeverityHigh:
		return "error"
	case s == checks.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the numeric score GitHub code scanning sorts by.
func securitySeverity(s checks.Severity) string {
	switch s {
	case checks.SeverityCritical:
		return "9.5"
	case checks.SeverityHigh:
		return "8.0"
	case checks.SeverityMedium:
		return "5.5"
	case checks.SeverityLow:
		return "3.0"
	}
	return "0.0"
}

// SARIF renders a SARIF 2.1.0 log with one run: the rules that fired and one
// result per shown finding.
func SARIF(w io.Writer, r *checks.Report, o Options) error {
	fs := shown(r)
	ruleIDs := map[string]bool{}
	docs := map[string]checks.Rule{}
	for _, f := range fs {
		ruleIDs[f.RuleID] = true
		doc, ok := r.Rules[f.RuleID]
		if !ok {
			doc = checks.Rule{ID: f.RuleID, Title: f.RuleID, Severity: f.Severity}
		}
		if doc.Category == "" {
			doc.Category = f.Category
		}
		if doc.Severity == 0 {
			doc.Severity = f.Severity
		}
		docs[f.RuleID] = doc
	}
	ids := make([]string, 0, len(ruleIDs))
	for id := range ruleIDs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		index[id] = i
		rules = append(rules, sarifRuleFor(docs[id], id))
	}
	results := make([]sarifResult, 0, len(fs))
	for _, f := range fs {
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: index[f.RuleID],
			Level:     SARIFLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: artifactURI(f.Path)},
				Region:           region(f.StartLine, f.EndLine, f.StartColumn, f.EndColumn),
			}}},
			PartialFingerprints: map[string]string{fingerprintKeyV1: f.Fingerprint},
			Properties:          sarifResultProps{Category: string(f.Category), Severity: f.Severity.String(), ID: f.ID(), Commit: f.Commit},
		}
		if f.Fix != nil {
			res.Fixes = []sarifFix{{
				Description: sarifText{Text: fixDescription(f.Fix)},
				ArtifactChanges: []sarifArtifactChange{{
					ArtifactLocation: sarifArtifact{URI: artifactURI(f.Path)},
					Replacements: []sarifReplacement{{
						DeletedRegion:   sarifRegion{StartLine: f.Fix.StartLine, EndLine: f.Fix.EndLine},
						InsertedContent: sarifText{Text: f.Fix.Replacement + "\n"},
					}},
				}},
			}}
		}
		results = append(results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0}
	for _, e := range r.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifText{Text: e.Check + ": " + e.Error},
			Properties: &sarifNoteProps{Check: e.Check, Unscanned: true}})
	}
	// A part of the change the review could not check is an error: the
	// verdict does not cover it. Other notes are for information.
	for _, n := range r.Notes {
		note := sarifNotification{Level: "note", Message: sarifText{Text: n.Message}, Properties: &sarifNoteProps{Check: n.Check, Unscanned: n.Unscanned}}
		if n.Unscanned {
			note.Level = "error"
		}
		if n.Path != "" {
			note.Message.Text = n.Path + ": " + n.Message
			note.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(n.Path)}}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, note)
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool:        sarifTool{Driver: sarifDriver{Name: "warden", Version: o.Version, InformationURI: informationURI, Rules: rules}},
		Results:     results,
		Invocations: []sarifInvocation{inv},
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func fixDescription(f *checks.Fix) string {
	if f.Description != "" {
		return f.Description
	}
	return "Apply the suggested change"
}

func sarifRuleFor(rule checks.Rule, id string) sarifRule {
	title := rule.Title
	if title == "" {
		title = id
	}
	out := sarifRule{
		ID:                   id,
		Name:                 ruleName(id),
		ShortDescription:     sarifText{Text: title},
		HelpURI:              rule.HelpURI,
		DefaultConfiguration: sarifConfiguration{Level: SARIFLevel(rule.Severity)},
		Properties: sarifRuleProps{
			Category:         string(rule.Category),
			Tags:             []string{"security", string(rule.Category)},
			SecuritySeverity: securitySeverity(rule.Severity),
		},
	}
	if out.HelpURI == "" {
		out.HelpURI = defaultHelpURI + "#" + strings.NewReplacer("/", "", ".", "").Replace(id)
	}
	if rule.Description != "" {
		out.FullDescription = &sarifText{Text: rule.Description}
	}
	if rule.Remediation != "" {
		out.Help = &sarifText{Text: rule.Remediation, Markdown: rule.Remediation}
	}
	return out
}

// ruleName turns "secrets/aws-access-key" into "AwsAccessKey", the
// identifier-like name SARIF consumers display.
func ruleName(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	var b strings.Builder
	up := true
	for _, r := range id {
		if r == '-' || r == '_' || r == '.' {
			up = true
			continue
		}
		if up {
			b.WriteString(strings.ToUpper(string(r)))
			up = false
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// artifactURI makes a repository-relative path a relative URI reference:
// forward slashes, each segment percent-encoded.
func artifactURI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func region(start, end, startCol, endCol int) *sarifRegion {
	r := &sarifRegion{StartLine: start}
	if end > start {
		r.EndLine = end
	}
	if startCol > 0 {
		r.StartColumn = startCol
		if endCol > startCol && end <= start {
			r.EndColumn = endCol
		}
	}
	return r
}
