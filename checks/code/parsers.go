package code

import (
	"github.com/wardenbot/warden/checks/code/tsparse"
)

// parsers caches one tree-sitter parser per language for a worker; they
// hold C memory and are closed when the worker ends.
type parsers struct {
	byLang map[string]*tsparse.Parser
}

func (p *parsers) get(lang string, make func() (*tsparse.Parser, error)) (*tsparse.Parser, error) {
	if p.byLang == nil {
		p.byLang = map[string]*tsparse.Parser{}
	}
	if tp, ok := p.byLang[lang]; ok {
		return tp, nil
	}
	tp, err := make()
	if err != nil {
		return nil, err
	}
	p.byLang[lang] = tp
	return tp, nil
}

func (p *parsers) close() {
	for _, tp := range p.byLang {
		tp.Close()
	}
	p.byLang = nil
}
