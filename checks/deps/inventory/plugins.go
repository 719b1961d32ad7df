package inventory

import (
	"fmt"

	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/language/dart/pubspec"
	"github.com/google/osv-scalibr/extractor/filesystem/language/dotnet/packageslockjson"
	"github.com/google/osv-scalibr/extractor/filesystem/language/elixir/mixlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/golang/gomod"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/gradlelockfile"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/gradleverificationmetadataxml"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/pomxml"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/bunlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/packagelockjson"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/pnpmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/yarnlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/php/composerlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pdmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pipfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/poetrylock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pylock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/uvlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/r/renvlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/ruby/gemfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/rust/cargolock"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
)

// plugin is one extractor with what warden knows about it.
type plugin struct {
	ext filesystem.Extractor
	// siblings lets the extractor open other files of the tree (a Maven
	// parent POM). Others see only their own file, so a requirements `-r`
	// include or go.sum is not merged into this file's inventory: each file
	// is scanned on its own and findings stay on the file that declares them.
	siblings bool
	// licenses fills Package.License from the lockfile text, when the
	// format records licenses.
	licenses func(content []byte, pkgs []Package)
	// split, when set, hands scalibr the file in pieces of a few dozen
	// declarations (split.go).
	split *splitter
}

// plugins imports each extractor by name: scalibr's plugin/list would link
// in every extractor, detector and enricher it has. None of these has a
// network client configured: pomxml resolves parents only from the tree.
func plugins() ([]plugin, error) {
	type ctor struct {
		new      func(*cpb.PluginConfig) (filesystem.Extractor, error)
		siblings bool
		licenses func([]byte, []Package)
		split    *splitter
	}
	ctors := []ctor{
		{new: packagelockjson.New, licenses: npmLockLicenses, split: &splitter{split: splitNPMLock, collapse: true}},
		{new: yarnlock.New},
		{new: pnpmlock.New},
		{new: bunlock.New},
		{new: requirements.New},
		{new: poetrylock.New},
		{new: pipfilelock.New},
		{new: uvlock.New},
		{new: pdmlock.New},
		{new: pylock.New},
		{new: gomod.New},
		{new: cargolock.New},
		{new: pomxml.New, siblings: true},
		{new: gradlelockfile.New},
		{new: gradleverificationmetadataxml.New},
		{new: gemfilelock.New},
		{new: composerlock.New, licenses: composerLicenses, split: &splitter{split: splitComposerLock}},
		{new: packageslockjson.New},
		{new: pubspec.New},
		{new: mixlock.New},
		{new: renvlock.New},
	}
	out := make([]plugin, 0, len(ctors))
	for _, c := range ctors {
		e, err := c.new(&cpb.PluginConfig{})
		if err != nil {
			return nil, fmt.Errorf("inventory: %w", err)
		}
		out = append(out, plugin{ext: e, siblings: c.siblings, licenses: c.licenses, split: c.split})
	}
	return out, nil
}
