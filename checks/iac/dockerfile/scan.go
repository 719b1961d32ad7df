// Package dockerfile finds security misconfigurations in Dockerfiles and
// Containerfiles, parsed with BuildKit's own parser so continuations,
// heredocs and parser directives read exactly as docker build reads them.
package dockerfile

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
)

// Options configure the Dockerfile rules.
type Options struct {
	// EOL is the end-of-life table for base images; nil disables the
	// iac/eol-runtime rule for Dockerfiles.
	EOL *eol.Table
	// Now is the date end-of-life is judged at; zero means time.Now().
	Now time.Time
}

// IsDockerfile reports whether a path names a Dockerfile: Dockerfile,
// Containerfile, *.Dockerfile, Dockerfile.* (any case).
func IsDockerfile(p string) bool {
	b := strings.ToLower(path.Base(p))
	switch {
	case b == "dockerfile" || b == "containerfile":
		return true
	case strings.HasSuffix(b, ".dockerfile") || strings.HasSuffix(b, ".containerfile"):
		return true
	case strings.HasPrefix(b, "dockerfile.") || strings.HasPrefix(b, "containerfile."):
		// Dockerfile.dev, Dockerfile.prod; not Dockerfile.md or a template
		return !notDockerfileExt[path.Ext(b)]
	}
	return false
}

// notDockerfileExt are suffixes of files named Dockerfile.* that are
// documentation, templates or code about Dockerfiles rather than one.
var notDockerfileExt = map[string]bool{".md": true, ".txt": true, ".j2": true, ".tpl": true, ".tmpl": true, ".orig": true, ".bak": true,
	".go": true, ".py": true, ".js": true, ".ts": true, ".rb": true, ".sh": true, ".json": true, ".yaml": true, ".yml": true, ".rs": true, ".java": true}

// stage is one FROM … section.
type stage struct {
	name       string // AS name, lower case
	from       *parser.Node
	image      imageRef
	imageKnown bool   // false when the reference uses an ARG without default
	parent     *stage // the earlier stage FROM refers to, if any
	user       *parser.Node
	userName   string
	nodes      []*parser.Node
	env        map[string]string
}

// doc is one parsed Dockerfile with its source lines.
type doc struct {
	path  string
	lines []string
	opts  Options
	out   []checks.Finding
	// locateLines bounds the lines locate may read in the whole file: a
	// RUN of thousands of continued install commands has a finding per
	// command, and searching its lines afresh for each is quadratic.
	locateLines int
}

// Scan parses a Dockerfile and returns its findings. A file BuildKit cannot
// parse is an error the caller reports as a note.
func Scan(ctx context.Context, p string, content []byte, opts Options) ([]checks.Finding, error) {
	res, err := parser.Parse(bytes.NewReader(content))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", p, err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	d := &doc{path: p, lines: strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n"), opts: opts}
	d.locateLines = 8*len(d.lines) + 1024
	stages := d.stages(res.AST)
	for _, s := range stages {
		d.checkFrom(s)
		for _, n := range s.nodes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			d.checkInstruction(n, s)
		}
	}
	if len(stages) > 0 {
		final := stages[len(stages)-1]
		d.checkUser(final)
		d.checkCaches(final)
	}
	return d.out, nil
}

// stages splits the instructions at each FROM, expanding global ARGs in the
// image reference and linking stage references to their stage.
func (d *doc) stages(ast *parser.Node) []*stage {
	globalArgs := map[string]string{}
	byName := map[string]*stage{}
	var stages []*stage
	for _, n := range ast.Children {
		kw := strings.ToLower(n.Value)
		if kw == "from" {
			s := &stage{from: n, env: map[string]string{}}
			if n.Next != nil {
				raw, ok := expandArgs(n.Next.Value, globalArgs)
				s.imageKnown = ok
				s.image = parseImage(raw)
				if p, isStage := byName[strings.ToLower(raw)]; isStage && ok {
					s.parent = p
				}
				if as := n.Next.Next; as != nil && strings.EqualFold(as.Value, "as") && as.Next != nil {
					s.name = strings.ToLower(as.Next.Value)
					byName[s.name] = s
				}
			}
			byName[fmt.Sprint(len(stages))] = s // COPY --from=0 / FROM 0 style index references
			stages = append(stages, s)
			continue
		}
		if len(stages) == 0 {
			if kw == "arg" {
				d.checkArg(n)
				for a := n.Next; a != nil; a = a.Next {
					name, val, _ := strings.Cut(a.Value, "=")
					globalArgs[name] = strings.Trim(val, `"'`)
				}
			}
			continue
		}
		stages[len(stages)-1].nodes = append(stages[len(stages)-1].nodes, n)
	}
	return stages
}

// locate finds the line of instruction n that contains re, so a finding in
// a continued RUN points at the offending line, not the RUN keyword. Once
// the file's locate budget is spent, findings stay on the keyword's line.
func (d *doc) locate(n *parser.Node, res ...*regexp.Regexp) int {
	for _, re := range res {
		for l := n.StartLine; l <= n.EndLine && l <= len(d.lines) && d.locateLines > 0; l++ {
			d.locateLines--
			if l >= 1 && re.MatchString(d.lines[l-1]) {
				return l
			}
		}
	}
	return n.StartLine
}

func (d *doc) line(n int) string {
	if n < 1 || n > len(d.lines) {
		return ""
	}
	return d.lines[n-1]
}

func (d *doc) checkFrom(s *stage) {
	n := s.from
	if n.Next == nil || s.parent != nil || !s.imageKnown {
		return
	}
	img := s.image
	if img.name == "scratch" && img.tag == "" {
		return
	}
	switch {
	case img.digest != "":
		// pinned: nothing to say about tags
	case img.tag == "" || img.tag == "latest":
		d.add(RuleImageLatest, n.StartLine, 0, "image:"+img.name, nil,
			"Base image %s has no pinned version (%s), so every build may get a different image.", img.name, tagOrNone(img.tag))
	default:
		d.add(RuleImageDigest, n.StartLine, 0, "image:"+img.name+":"+img.tag, nil,
			"Base image %s:%s is referenced by a mutable tag, not by digest.", img.name, img.tag)
	}
	if d.opts.EOL != nil {
		full := img.name
		if img.tag != "" {
			full += ":" + img.tag
		}
		if r, ok := eol.FirstEOL(d.opts.EOL.Image(full), d.opts.Now); ok {
			d.out = append(d.out, eol.Finding(d.path, n.StartLine, "Base image "+full, r, 0))
		}
	}
}

func tagOrNone(tag string) string {
	if tag == "" {
		return "no tag means latest"
	}
	return ":" + tag
}

var (
	reCurl     = regexp.MustCompile(`(?i)\b(curl|wget)\b`)
	reCurlPipe = regexp.MustCompile(`(?i)\b(curl|wget)\b.*(\||\$\(|<\()`)
	reSudo     = regexp.MustCompile(`\bsudo\b`)
	reChmod    = regexp.MustCompile(`\bchmod\b`)
)

func (d *doc) checkInstruction(n *parser.Node, s *stage) {
	switch strings.ToLower(n.Value) {
	case "user":
		if n.Next != nil {
			s.user, s.userName = n, n.Next.Value
		}
	case "env":
		d.checkEnv(n, s)
	case "arg":
		d.checkArg(n)
	case "run":
		d.checkRun(n)
	case "add":
		d.checkAdd(n)
		d.checkChmodFlag(n)
	case "copy":
		d.checkChmodFlag(n)
	case "expose":
		for p := n.Next; p != nil; p = p.Next {
			port, _, _ := strings.Cut(strings.ToLower(p.Value), "/")
			if port == "22" {
				d.add(RuleExposeSSH, n.StartLine, 0, "expose:22", nil, "The image exposes port 22 (SSH).")
			}
		}
	}
}

// script returns the shell text a RUN executes: its command line, plus the
// heredoc bodies when the heredoc is the script itself (RUN <<EOF, bash <<EOF).
func script(n *parser.Node) string {
	var parts []string
	for a := n.Next; a != nil; a = a.Next {
		parts = append(parts, a.Value)
	}
	cmd := strings.Join(parts, " ")
	trimmed := strings.TrimSpace(cmd)
	first, _, _ := strings.Cut(trimmed, " ")
	if strings.HasPrefix(trimmed, "<<") || isShell(path.Base(first)) {
		for _, h := range n.Heredocs {
			cmd += "\n" + h.Content
		}
	}
	return cmd
}

func isShell(s string) bool {
	switch s {
	case "sh", "bash", "zsh", "dash", "ash", "ksh":
		return true
	}
	return false
}

func (d *doc) checkRun(n *parser.Node) {
	sc := script(n)
	if pipesRemoteScript(sc) {
		l := d.locate(n, reCurlPipe, reCurl)
		d.add(RuleCurlPipeShell, l, 0, "run:"+normaliseSpace(d.line(l)), nil,
			"This RUN step pipes a downloaded script straight into an interpreter without verifying it.")
	}
	sudoSeen, chmodSeen := false, false
	for _, words := range simpleCommands(sc) {
		rest, sudo := stripPrefixCommands(words)
		if sudo && !sudoSeen {
			sudoSeen = true
			l := d.locate(n, reSudo)
			d.add(RuleSudo, l, 0, "sudo:"+strings.Join(rest, " "), nil, "This RUN step uses sudo, which implies sudo is installed in the image.")
		}
		if len(rest) > 1 && path.Base(rest[0]) == "chmod" && !chmodSeen {
			if mode, ok := chmodWorldWritable(rest[1:]); ok {
				chmodSeen = true
				l := d.locate(n, reChmod)
				d.add(RuleChmodWorld, l, 0, "chmod:"+strings.Join(rest, " "), nil,
					"chmod %s makes %s writable by every user in the container.", mode, targetsOf(rest[1:]))
			}
		}
		if in, ok := parseInstall(rest); ok && len(in.unpinned) > 0 {
			l := d.locate(n, regexp.MustCompile(`\b`+regexp.QuoteMeta(in.unpinned[0])+`\b`))
			d.add(RulePackagePinning, l, 0, "pkg:"+in.manager+":"+strings.Join(in.unpinned, ","), nil,
				"%s installs %s without a version pin.", in.manager, listShort(in.unpinned))
		}
	}
}

func targetsOf(args []string) string {
	var t []string
	modeSeen := false
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "-") && !strings.ContainsAny(a, "+="):
		case !modeSeen:
			modeSeen = true
		default:
			t = append(t, a)
		}
	}
	if len(t) == 0 {
		return "the target"
	}
	return listShort(t)
}

func listShort(xs []string) string {
	if len(xs) > 3 {
		return strings.Join(xs[:3], ", ") + fmt.Sprintf(" and %d more", len(xs)-3)
	}
	return strings.Join(xs, ", ")
}

func normaliseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func (d *doc) checkAdd(n *parser.Node) {
	for _, f := range n.Flags {
		if strings.HasPrefix(f, "--checksum=") {
			return
		}
	}
	var srcs []string
	for a := n.Next; a != nil; a = a.Next {
		srcs = append(srcs, a.Value)
	}
	if len(srcs) < 2 {
		return
	}
	for _, src := range srcs[:len(srcs)-1] {
		low := strings.ToLower(src)
		if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") || strings.HasPrefix(low, "ftp://") || strings.HasPrefix(low, "git@") {
			l := d.locate(n, regexp.MustCompile(regexp.QuoteMeta(src)))
			d.add(RuleAddRemote, l, 0, "add:"+src, nil, "ADD downloads %s without verifying a checksum.", src)
			return
		}
	}
}

func (d *doc) checkChmodFlag(n *parser.Node) {
	for _, f := range n.Flags {
		if mode, ok := strings.CutPrefix(f, "--chmod="); ok && worldWritableMode(mode) {
			d.add(RuleChmodWorld, n.StartLine, 0, strings.ToLower(n.Value)+":chmod:"+mode, nil,
				"%s --chmod=%s makes the copied files writable by every user in the container.", strings.ToUpper(n.Value), mode)
		}
	}
}

// checkUser reports a final stage that runs as root: its last USER is root,
// or no USER is set in it or the stages it builds on.
func (d *doc) checkUser(final *stage) {
	for s := final; s != nil; s = s.parent {
		if s.user == nil {
			continue
		}
		if isRootUser(s.userName) {
			if s == final {
				d.add(RuleRootUser, s.user.StartLine, 0, "user:root", nil, "The final stage switches to %s and never back to an unprivileged user.", s.userName)
			} else {
				d.add(RuleRootUser, final.from.StartLine, 0, "user:inherited-root", nil, "The final stage inherits USER %s from stage %s.", s.userName, s.name)
			}
		}
		return
	}
	root := final
	for root.parent != nil {
		root = root.parent
	}
	if root.imageKnown && root.image.runsAsNonRootByDefault() {
		return
	}
	if root.imageKnown && root.image.name == "scratch" {
		// scratch has no users at all; a static binary runs as UID 0 unless USER is set
	}
	d.add(RuleRootUser, final.from.StartLine, 0, "user:missing", d.userFix(final),
		"The final stage has no USER instruction, so the container runs as root.")
}

// userFix inserts a numeric non-root USER before a trailing CMD or
// ENTRYPOINT: numeric IDs need no /etc/passwd entry, and the steps that need
// root have all run by then.
func (d *doc) userFix(final *stage) *checks.Fix {
	if len(final.nodes) == 0 {
		return nil
	}
	last := final.nodes[len(final.nodes)-1]
	kw := strings.ToLower(last.Value)
	if (kw != "cmd" && kw != "entrypoint") || last.EndLine > len(d.lines) || last.StartLine < 1 {
		return nil
	}
	orig := strings.Join(d.lines[last.StartLine-1:last.EndLine], "\n")
	indent := orig[:len(orig)-len(strings.TrimLeft(orig, " \t"))]
	return &checks.Fix{StartLine: last.StartLine, EndLine: last.EndLine, Replacement: indent + "USER 65532:65532\n" + orig,
		Description: "run the container as an unprivileged numeric user"}
}

func isRootUser(u string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(u), ":")
	return name == "root" || name == "0"
}

// checkCaches reports package caches left in the image: only the final stage
// and the stages it builds FROM end up in the shipped image.
func (d *doc) checkCaches(final *stage) {
	pipNoCache := false
	var chain []*stage
	for s := final; s != nil; s = s.parent {
		chain = append(chain, s)
		if v, ok := s.env["PIP_NO_CACHE_DIR"]; ok && v != "" && v != "0" && !strings.EqualFold(v, "false") {
			pipNoCache = true
		}
	}
	slices.Reverse(chain) // from the first stage of the chain to the final
	for _, s := range chain {
		for _, n := range s.nodes {
			if !strings.EqualFold(n.Value, "run") {
				continue
			}
			sc := script(n)
			// Whether the step cleans a manager's cache depends on the
			// script and flags alone, unless the command avoids a cache
			// itself: judged once per manager, not once per command of a
			// long script.
			reported, cleans := map[string]bool{}, map[string]bool{}
			for _, words := range simpleCommands(sc) {
				rest, _ := stripPrefixCommands(words)
				in, ok := parseInstall(rest)
				if !ok || reported[in.manager] || in.noCache || (strings.HasPrefix(in.manager, "pip") && pipNoCache) {
					continue
				}
				c, judged := cleans[in.manager]
				if !judged {
					c = cleansCache(in.manager, sc, n.Flags, in)
					cleans[in.manager] = c
				}
				if !c {
					reported[in.manager] = true
					l := d.locate(n, regexp.MustCompile(regexp.QuoteMeta(in.manager)+`\b.*\b(install|add)\b`), regexp.MustCompile(regexp.QuoteMeta(in.manager)))
					d.add(RulePackageCache, l, 0, "cache:"+in.manager+":"+normaliseSpace(d.line(l)), nil,
						"%s installs packages in the final image without removing its cache in the same step.", in.manager)
				}
			}
		}
	}
}

func (d *doc) add(id string, line int, sev checks.Severity, key string, fix *checks.Fix, format string, args ...any) {
	f := rules.Finding(id, atLine(d.path, line, key, sev, fix), format, args...)
	d.out = append(d.out, f)
}
