package iac

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/iac/dockerfile"
)

type fileKind int

const (
	kindNone fileKind = iota
	kindDockerfile
	kindYAML
	kindTerraform
	kindGoMod
)

func classify(p string) fileKind {
	switch {
	case dockerfile.IsDockerfile(p):
		return kindDockerfile
	case strings.HasSuffix(p, ".tf"):
		return kindTerraform
	case path.Base(p) == "go.mod":
		return kindGoMod
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml":
		return kindYAML
	}
	return kindNone
}

func isWorkflow(p string) bool {
	return strings.HasPrefix(p, ".github/workflows/") || strings.Contains(p, "/.github/workflows/")
}
