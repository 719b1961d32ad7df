package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Large JSON lockfiles are handed to scalibr in small pieces. scalibr's
// package-lock.json and composer.lock extractors find each package's line
// with a JSON path query that re-parses the file from the top, so a
// 5,000-package lockfile costs 5,000 parses. Instead warden walks the file
// once, recording the line of every declaration, and gives scalibr the
// declarations a few dozen at a time, each piece a lockfile of its own with
// one declaration per line: scalibr still decides what each package is
// (name, version, aliases, git commits) and on which line of the piece it
// is declared; warden maps that line back to the file.

// maxBatch bounds the declarations in one piece: a piece's path queries
// cost its size squared.
const maxBatch = 64

// unit is a piece of a lockfile.
type unit struct {
	doc []byte // a lockfile holding some of the declarations
	// lines[i] is the line in the original file of the declaration on
	// line i+1 of doc; 0 where doc's line is not one.
	lines []int
}

// lineFor maps a line of the piece, as scalibr reports it, to the file.
func (u unit) lineFor(docLine int) int {
	if docLine < 1 || docLine > len(u.lines) {
		return 0
	}
	return u.lines[docLine-1]
}

// batch lays declarations out one a line between head and tail:
//
//	{"lockfileVersion":3,"packages":{
//	"node_modules/a":{"version":"1.0.0"},
//	"node_modules/b":{"version":"2.0.0"}
//	}}
type batch struct {
	head, tail string
	buf        bytes.Buffer
	lines      []int
}

func (b *batch) len() int { return len(b.lines) - 1 }

// add appends one declaration, written by write on a single line (compact
// JSON), declared at line in the file.
func (b *batch) add(line int, write func(*bytes.Buffer)) {
	if b.lines == nil {
		b.buf.WriteString(b.head)
		b.lines = []int{0}
	} else {
		b.buf.WriteByte(',')
	}
	b.buf.WriteByte('\n')
	write(&b.buf)
	b.lines = append(b.lines, line)
}

// flush appends the piece built so far, if any, to units and starts anew.
func (b *batch) flush(units []unit) []unit {
	if b.lines == nil {
		return units
	}
	b.buf.WriteByte('\n')
	b.buf.WriteString(b.tail)
	doc := bytes.Clone(b.buf.Bytes())
	units = append(units, unit{doc: doc, lines: append(b.lines, 0)})
	b.buf.Reset()
	b.lines = nil
	return units
}

// compactTo writes the JSON value raw to w on one line.
func compactTo(w *bytes.Buffer, raw []byte) {
	if err := json.Compact(w, raw); err != nil {
		w.Write(raw) // never: raw was decoded as JSON
	}
}

// splitter cuts a lockfile into units. An error means the file is not in
// the shape expected (or not valid JSON): the caller then gives scalibr the
// whole file, so its answer, or its error, is exactly what it was.
type splitter struct {
	split func(content []byte) ([]unit, error)
	// collapse: scalibr reports a package version declared several times
	// in the file once; keep its first declaration.
	collapse bool
}

var errShape = errors.New("unexpected lockfile shape")

// jsonDoc walks a JSON document, keeping byte offsets so that any value
// can be mapped to its line.
type jsonDoc struct {
	data  []byte
	lines []int // offset of the first byte of each line
}

func newJSONDoc(data []byte) *jsonDoc {
	lines := []int{0}
	for i, b := range data {
		if b == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &jsonDoc{data: data, lines: lines}
}

// lineAt is the 1-based line holding byte off (counted as scalibr does).
func (d *jsonDoc) lineAt(off int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off })
}

// span is the bytes of one JSON value: data[start:end].
type span struct{ start, end int }

func (d *jsonDoc) bytes(s span) []byte { return d.data[s.start:s.end] }

func (d *jsonDoc) isNull(s span) bool { return string(d.bytes(s)) == "null" }

// members calls fn for each member of the object s, in order, with the
// value's span. A value that is not an object is errShape.
func (d *jsonDoc) members(s span, fn func(key string, v span) error) error {
	_, err := d.membersEnd(s, fn)
	return err
}

// membersEnd is members, also returning the offset just past the object.
func (d *jsonDoc) membersEnd(s span, fn func(key string, v span) error) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(d.bytes(s)))
	if tok, err := dec.Token(); err != nil {
		return 0, err
	} else if tok != json.Delim('{') {
		return 0, errShape
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return 0, err
		}
		key, ok := tok.(string)
		if !ok {
			return 0, errShape
		}
		v, err := d.value(dec, s.start)
		if err != nil {
			return 0, err
		}
		if err := fn(key, v); err != nil {
			return 0, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return 0, err
	}
	return s.start + int(dec.InputOffset()), nil
}

// elements calls fn for each element of the array s.
func (d *jsonDoc) elements(s span, fn func(v span) error) error {
	dec := json.NewDecoder(bytes.NewReader(d.bytes(s)))
	if tok, err := dec.Token(); err != nil {
		return err
	} else if tok != json.Delim('[') {
		return errShape
	}
	for dec.More() {
		v, err := d.value(dec, s.start)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// value reads the next value from dec, which reads data from base on, and
// returns where it lies in data.
func (d *jsonDoc) value(dec *json.Decoder, base int) (span, error) {
	from := base + int(dec.InputOffset())
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return span{}, err
	}
	start := from
	for start < len(d.data) && strings.IndexByte(" \t\r\n:,", d.data[start]) >= 0 {
		start++
	}
	v := span{start, start + len(raw)}
	if v.end > len(d.data) || !bytes.Equal(d.bytes(v), raw) {
		return span{}, errShape // never expected: offsets and bytes disagree
	}
	return v, nil
}

// topLevel returns the spans of the wanted members of the document's
// object. A member spelled differently from its canonical name but equal
// to it ignoring case (encoding/json would still fill the field), or one
// given twice, is errShape.
func (d *jsonDoc) topLevel(wanted ...string) (map[string]span, error) {
	out := map[string]span{}
	end, err := d.membersEnd(span{0, len(d.data)}, func(key string, v span) error {
		for _, w := range wanted {
			if !strings.EqualFold(key, w) {
				continue
			}
			if _, dup := out[w]; dup || key != w {
				return errShape
			}
			out[w] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Anything but space after the document is an error encoding/json,
	// and so scalibr, reports.
	if len(bytes.TrimSpace(d.data[end:])) != 0 {
		return nil, errShape
	}
	return out, nil
}

func quote(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// splitNPMLock cuts package-lock.json (and npm-shrinkwrap.json) into one
// unit per entry of "packages" (lockfile v2, v3) or, when that is absent,
// per entry of "dependencies" at any depth (v1), which is what scalibr
// reads.
func splitNPMLock(content []byte) ([]unit, error) {
	d := newJSONDoc(content)
	top, err := d.topLevel("lockfileVersion", "packages", "dependencies")
	if err != nil {
		return nil, err
	}
	version := []byte("0")
	if s, ok := top["lockfileVersion"]; ok {
		version = d.bytes(s)
	}
	var units []unit
	// A key given twice in one object (encoding/json keeps the last) is
	// left to scalibr on the whole file.
	seen := map[string]bool{}
	if s, ok := top["packages"]; ok && !d.isNull(s) {
		b := &batch{head: fmt.Sprintf(`{"lockfileVersion":%s,"packages":{`, version), tail: "}}"}
		// scalibr reports one package for a name and version installed
		// at several paths, so a piece holds at most one entry per name:
		// each copy then gets its own line. An entry that names its
		// package itself (an alias) goes alone.
		names := map[string]bool{}
		err := d.members(s, func(key string, v span) error {
			if seen[key] {
				return errShape
			}
			seen[key] = true
			raw := d.bytes(v)
			name := npmPathName(key)
			alone := bytes.Contains(raw, []byte(`"name"`))
			if names[name] || b.len() == maxBatch || alone {
				units = b.flush(units)
				clear(names)
			}
			names[name] = true
			b.add(d.lineAt(v.start), func(w *bytes.Buffer) {
				w.Write(quote(key))
				w.WriteByte(':')
				compactTo(w, raw)
			})
			if alone {
				units = b.flush(units)
				clear(names)
			}
			return nil
		})
		return b.flush(units), err
	}
	s, ok := top["dependencies"]
	if !ok || d.isNull(s) {
		return nil, nil
	}
	// v1 nests the copies a package needs under its own "dependencies";
	// each becomes a piece of its own (scalibr names a nested entry by its
	// key alone, never by its parent).
	var walk func(s span, path string) error
	walk = func(s span, path string) error {
		return d.members(s, func(key string, v span) error {
			id := path + "\x00" + key // the same name under two parents is two entries
			if seen[id] {
				return errShape
			}
			seen[id] = true
			var entry bytes.Buffer
			var nested span
			hasNested := false
			if !d.isNull(v) {
				entry.WriteByte('{')
				err := d.members(v, func(k string, mv span) error {
					if strings.EqualFold(k, "dependencies") {
						if hasNested || k != "dependencies" {
							return errShape
						}
						nested, hasNested = mv, true
						return nil
					}
					if entry.Len() > 1 {
						entry.WriteByte(',')
					}
					entry.Write(quote(k))
					entry.WriteByte(':')
					compactTo(&entry, d.bytes(mv))
					return nil
				})
				if err != nil {
					return err
				}
				entry.WriteByte('}')
			} else {
				entry.WriteString("null")
			}
			b := &batch{head: fmt.Sprintf(`{"lockfileVersion":%s,"dependencies":{`, version), tail: "}}"}
			b.add(d.lineAt(v.start), func(w *bytes.Buffer) {
				w.Write(quote(key))
				w.WriteByte(':')
				w.Write(entry.Bytes())
			})
			units = b.flush(units)
			if hasNested && !d.isNull(nested) {
				return walk(nested, id)
			}
			return nil
		})
	}
	return units, walk(s, "")
}

// npmPathName is the package name scalibr derives from an install path
// (node_modules/@scope/name -> @scope/name).
func npmPathName(key string) string {
	name := path.Base(key)
	if scope := path.Base(path.Dir(key)); strings.HasPrefix(scope, "@") {
		name = scope + "/" + name
	}
	return name
}

// splitComposerLock cuts composer.lock into one unit per element of
// "packages" and "packages-dev", each at the line of its "name".
func splitComposerLock(content []byte) ([]unit, error) {
	d := newJSONDoc(content)
	top, err := d.topLevel("packages", "packages-dev")
	if err != nil {
		return nil, err
	}
	var units []unit
	for _, member := range []string{"packages", "packages-dev"} {
		s, ok := top[member]
		if !ok || d.isNull(s) {
			continue
		}
		b := &batch{head: fmt.Sprintf(`{%q:[`, member), tail: "]}"}
		err := d.elements(s, func(v span) error {
			line := 0
			if !d.isNull(v) && d.data[v.start] == '{' {
				err := d.members(v, func(k string, mv span) error {
					if k == "name" && line == 0 {
						line = d.lineAt(mv.start)
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			if b.len() == maxBatch {
				units = b.flush(units)
			}
			b.add(line, func(w *bytes.Buffer) { compactTo(w, d.bytes(v)) })
			return nil
		})
		if err != nil {
			return nil, err
		}
		units = b.flush(units)
	}
	return units, nil
}
