// Package sniff tells text from binary content, the way a scanner must when
// the author of the content chooses every byte: a stray NUL does not make a
// source file binary, and a name or a few magic bytes do not hide the text
// inside a real binary from a search for secrets (see TextRuns).
package sniff

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/h2non/filetype"
)

// Len is how many leading bytes Classify needs to see.
const Len = 8 << 10

// Kind is what a file's content is.
type Kind int

const (
	// Text is UTF-8 (or ASCII, or close enough): scanned as it is.
	Text Kind = iota
	// UTF16LE and UTF16BE are text in UTF-16; decode before scanning.
	UTF16LE
	UTF16BE
	// Binary is an image, archive, compiled object or other data that is
	// not text; only the text runs inside it can be searched.
	Binary
)

func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case UTF16LE:
		return "UTF-16LE text"
	case UTF16BE:
		return "UTF-16BE text"
	}
	return "binary"
}

// IsText reports whether the content is text in some encoding.
func (k Kind) IsText() bool { return k != Binary }

// Classify decides what a file is from its name and its first bytes
// (head: up to Len bytes). A text extension wins, because the compiler or
// interpreter that reads such a file treats it as text whatever bytes it
// holds; then magic bytes and binary extensions; then the bytes themselves.
func Classify(name string, head []byte) Kind {
	if len(head) > Len {
		head = head[:Len]
	}
	if k, ok := utf16Kind(head); ok {
		return k
	}
	if textName(name) {
		return Text
	}
	if binaryName(name) || hasBinaryMagic(head) || !looksText(head) {
		return Binary
	}
	return Text
}

// maxBadPerMille is how much of a text file may be NUL bytes, other
// control characters or invalid UTF-8: a few stray bytes keep a file text.
const maxBadPerMille = 30

// looksText reports whether b is mostly printable UTF-8.
func looksText(b []byte) bool {
	bad := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !textControl(c) || c == 0x7f {
				bad++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(b[i:]) {
				break // a sequence cut by the end of the sample
			}
			bad++
		}
		i += size
	}
	return bad*1000 <= len(b)*maxBadPerMille
}

// textControl is the control characters text files hold: tab, line
// breaks, form feed, backspace and the escape that starts ANSI colours.
func textControl(c byte) bool {
	switch c {
	case '\t', '\n', '\r', '\v', '\f', '\b', 0x1b:
		return true
	}
	return false
}

// utf16Kind recognises UTF-16 by its byte-order mark or, without one, by
// NULs in every other byte of mostly ASCII text.
func utf16Kind(b []byte) (Kind, bool) {
	if len(b) >= 2 {
		switch {
		case b[0] == 0xff && b[1] == 0xfe:
			return UTF16LE, true
		case b[0] == 0xfe && b[1] == 0xff:
			return UTF16BE, true
		}
	}
	if len(b) < 16 {
		return Text, false
	}
	pairs := len(b) / 2
	var evenNUL, oddNUL int
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			evenNUL++
		}
		if b[i+1] == 0 {
			oddNUL++
		}
	}
	switch {
	case oddNUL*10 >= pairs*9 && evenNUL*10 < pairs:
		return UTF16LE, true
	case evenNUL*10 >= pairs*9 && oddNUL*10 < pairs:
		return UTF16BE, true
	}
	return Text, false
}

// hasBinaryMagic reports a known binary format's signature (image,
// archive, executable, font, media, document container) in a header that
// also holds bytes no text has: "MZ" or "ID3" at the start of a text file
// is a word, not a format.
func hasBinaryMagic(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	probe := head[:min(len(head), 64)]
	textual := true
	for _, c := range probe {
		if c < 0x20 && !textControl(c) || c == 0x7f {
			textual = false
			break
		}
	}
	if textual && (utf8.Valid(probe) || !utf8.FullRune(probe[len(probe)-1:])) {
		return false
	}
	return filetype.Matches(head)
}

func ext(name string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
}

// textName reports names that are text by convention: source, markup,
// configuration and data formats.
func textName(name string) bool {
	base := strings.ToLower(path.Base(name))
	if textBaseNames[base] || strings.HasPrefix(base, "dockerfile") || strings.HasPrefix(base, ".env") {
		return true
	}
	return textExts[ext(name)]
}

func binaryName(name string) bool { return binaryExts[ext(name)] }

var textBaseNames = set("dockerfile", "containerfile", "makefile", "gnumakefile", "jenkinsfile", "vagrantfile",
	"gemfile", "rakefile", "procfile", "brewfile", "podfile", "justfile", "codeowners", "license", "readme",
	".npmrc", ".yarnrc", ".netrc", "_netrc", ".pypirc", ".gitconfig", ".gitignore", ".gitattributes",
	".dockerignore", ".editorconfig", ".bashrc", ".profile", ".zshrc", "authorized_keys", "known_hosts", "id_rsa",
	"id_dsa", "id_ecdsa", "id_ed25519", "credentials", "config")

var textExts = set(
	// source code
	"go", "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "java", "kt", "kts", "scala", "groovy",
	"gradle", "rb", "php", "cs", "fs", "vb", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "rs", "swift",
	"dart", "lua", "pl", "pm", "r", "jl", "ex", "exs", "erl", "hrl", "hs", "clj", "cljs", "elm", "zig", "nim",
	"vue", "svelte", "astro", "sol", "sql", "graphql", "gql", "proto",
	// scripts
	"sh", "bash", "zsh", "fish", "ksh", "ps1", "psm1", "psd1", "bat", "cmd", "awk", "sed",
	// configuration and data
	"json", "jsonc", "json5", "ndjson", "jsonl", "yaml", "yml", "toml", "ini", "cfg", "conf", "config", "env",
	"properties", "props", "xml", "plist", "csv", "tsv", "tf", "tfvars", "hcl", "nomad", "rego", "cue", "nix",
	"lock", "mod", "sum", "npmrc", "netrc", "pypirc", "editorconfig", "service", "desktop", "reg",
	// markup and templates
	"md", "markdown", "rst", "adoc", "txt", "text", "log", "html", "htm", "xhtml", "css", "scss", "sass", "less",
	"svg", "tpl", "tmpl", "gotmpl", "j2", "jinja", "jinja2", "erb", "ejs", "hbs", "mustache", "liquid", "twig",
	"tex", "bib", "ipynb", "diff", "patch",
	// keys and certificates in PEM form
	"pem", "key", "crt", "csr", "pub", "asc", "gpg")

var binaryExts = set(
	// images
	"png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "heic", "avif",
	// archives and compressed data
	"zip", "jar", "war", "ear", "apk", "aar", "ipa", "gz", "tgz", "bz2", "xz", "txz", "7z", "rar", "zst", "lz4",
	"lzma", "tar", "cab", "deb", "rpm", "dmg", "iso", "whl", "egg", "nupkg", "crx", "xpi",
	// compiled objects
	"so", "dll", "dylib", "exe", "o", "a", "lib", "obj", "class", "pyc", "pyo", "wasm", "dex", "elf", "bin",
	// fonts and media
	"woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "wav", "ogg", "flac", "avi", "mov", "mkv", "webm",
	// documents and databases
	"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "sqlite", "sqlite3", "db",
	// binary key stores
	"p12", "pfx", "jks", "keystore", "der")

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
