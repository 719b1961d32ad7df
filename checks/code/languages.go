package code

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/golang"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/javascript"
	"github.com/wardenbot/warden/checks/code/python"
	"github.com/wardenbot/warden/checks/code/tsparse"
)

// language is one front end with its rule tables.
type language struct {
	name     string
	engine   *engine.Engine
	patterns []engine.Pattern
	// parse lowers a file; p is the worker's parser cache for tree-sitter
	// languages.
	parse func(ctx context.Context, p *parsers, name string, src []byte, timeout time.Duration) (*ir.File, error)
	// fix proposes a mechanical fix for a taint finding, or nil.
	fix func(f *ir.File, h *engine.Hit) *engine.Edit
}

// languageFor picks the front end by file name.
func (c *Check) languageFor(p string) *language {
	base := path.Base(p)
	ext := path.Ext(base)
	switch ext {
	case ".go":
		return c.langs["go"]
	case ".py", ".pyw":
		return c.langs["python"]
	case ".js", ".mjs", ".cjs", ".jsx":
		if strings.HasSuffix(base, ".min.js") {
			return nil // minified bundles are not reviewed by people
		}
		return c.langs["javascript"]
	case ".ts", ".mts", ".cts":
		if strings.HasSuffix(base, ".d.ts") {
			return nil
		}
		return c.langs["typescript"]
	case ".tsx":
		return c.langs["tsx"]
	}
	return nil
}

func goLanguage(audit bool) *language {
	return &language{
		name:     "go",
		engine:   engine.New(golang.Spec),
		patterns: golang.Patterns(audit),
		parse: func(ctx context.Context, _ *parsers, name string, src []byte, _ time.Duration) (*ir.File, error) {
			return golang.Parse(name, src)
		},
		fix: golang.Fix,
	}
}

func pythonLanguage(audit bool) *language {
	return &language{
		name:     "python",
		engine:   engine.New(python.Spec),
		patterns: python.Patterns(audit),
		parse: func(ctx context.Context, ps *parsers, name string, src []byte, timeout time.Duration) (*ir.File, error) {
			p, err := ps.get("python", python.NewParser)
			if err != nil {
				return nil, err
			}
			return python.Parse(p, name, src, timeout)
		},
		fix: python.Fix,
	}
}

func javascriptLanguage(dialect string, audit bool) *language {
	return &language{
		name:     dialect,
		engine:   engine.New(javascript.Spec),
		patterns: javascript.Patterns(audit),
		parse: func(ctx context.Context, ps *parsers, name string, src []byte, timeout time.Duration) (*ir.File, error) {
			p, err := ps.get(dialect, func() (*tsparse.Parser, error) { return javascript.NewParser(javascript.Dialect(dialect)) })
			if err != nil {
				return nil, err
			}
			return javascript.Parse(p, name, src, timeout)
		},
		fix: javascript.Fix,
	}
}
