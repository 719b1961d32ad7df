package dockerfile

import (
	"regexp"
	"strings"
)

var (
	pipeToShell     = regexp.MustCompile(`(?i)\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:/usr/local/bin/|/usr/bin/|/bin/)?(?:sh|bash|zsh|dash|ksh|ash|python[0-9.]*|perl|ruby|node)\b`)
	shellOfDownload = regexp.MustCompile(`(?i)\b(?:sh|bash|zsh|dash|ksh)\s+(?:-\S+\s+)*(?:-c\s+)?["']?(?:\$\(|<\(|` + "`" + `)\s*(?:curl|wget)\b`)
)

// pipesRemoteScript reports whether a shell script executes a download
// without saving and verifying it first.
func pipesRemoteScript(script string) bool {
	s := joinContinuations(script)
	return pipeToShell.MatchString(s) || shellOfDownload.MatchString(s)
}

// joinContinuations folds backslash-newline so heredoc scripts read as
// the shell reads them.
func joinContinuations(s string) string { return strings.ReplaceAll(s, "\\\n", " ") }

// simpleCommands splits a script into commands at ; && || | and newlines,
// each as its words. It is a lexer for rules, not a shell: quotes are kept
// together but expansions are not performed.
func simpleCommands(script string) [][]string {
	var cmds [][]string
	var words []string
	var cur strings.Builder
	var quote rune
	flushWord := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	flushCmd := func() {
		flushWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	rs := []rune(joinContinuations(script))
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ';' || c == '\n' || c == '|' || c == '&' || c == '(' || c == ')':
			flushCmd()
		case c == ' ' || c == '\t' || c == '\r':
			flushWord()
		default:
			cur.WriteRune(c)
		}
	}
	flushCmd()
	return cmds
}

// stripPrefixCommands removes wrappers that run the real command:
// sudo (with options), env assignments, nohup, time.
func stripPrefixCommands(words []string) (rest []string, sudo bool) {
	for len(words) > 0 {
		switch w := words[0]; {
		case w == "sudo":
			sudo = true
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0], "-") {
				opt := words[0]
				words = words[1:]
				if (opt == "-u" || opt == "-g") && len(words) > 0 {
					words = words[1:]
				}
			}
		case w == "env" || w == "nohup" || w == "time" || w == "exec":
			words = words[1:]
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "-") && isAssignment(w):
			words = words[1:]
		default:
			return words, sudo
		}
	}
	return words, sudo
}

func isAssignment(w string) bool {
	name, _, _ := strings.Cut(w, "=")
	if name == "" {
		return false
	}
	for i, c := range name {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// worldWritableMode reports whether a chmod mode grants write to others
// without the sticky bit (1777 on a shared directory like /tmp is normal).
func worldWritableMode(mode string) bool {
	if mode == "" {
		return false
	}
	if mode[0] >= '0' && mode[0] <= '7' {
		for _, c := range mode {
			if c < '0' || c > '7' {
				return false
			}
		}
		other := mode[len(mode)-1] - '0'
		sticky := len(mode) == 4 && (mode[0]-'0')&1 == 1
		return other&2 != 0 && !sticky
	}
	for _, clause := range strings.Split(mode, ",") {
		who, perm, found := strings.Cut(clause, "+")
		if !found {
			who, perm, found = strings.Cut(clause, "=")
		}
		if !found || !strings.Contains(perm, "w") || strings.Contains(perm, "t") {
			continue
		}
		if strings.ContainsAny(who, "oa") {
			return true
		}
	}
	return false
}

// chmodWorldWritable returns the first world-writable mode of a chmod
// command's arguments.
func chmodWorldWritable(args []string) (string, bool) {
	for _, a := range args {
		if strings.HasPrefix(a, "-") && !strings.ContainsAny(a, "+=") {
			continue // -R, -v
		}
		return a, worldWritableMode(a)
	}
	return "", false
}
