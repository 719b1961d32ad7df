package dockerfile

import (
	"path"
	"regexp"
	"strings"
)

// install is one package-manager install command found in a RUN step.
type install struct {
	manager  string   // apt-get, apk, yum, pip…
	unpinned []string // packages named without a version
	noCache  bool     // the command itself avoids a cache (apk --no-cache, pip --no-cache-dir)
}

var rpmVersioned = regexp.MustCompile(`-\d`)

// parseInstall recognises an install command (after sudo/env are stripped)
// and lists the packages it names without a version.
func parseInstall(words []string) (install, bool) {
	if len(words) < 2 {
		return install{}, false
	}
	cmd := path.Base(words[0])
	args := words[1:]
	switch cmd {
	case "python", "python3", "python2":
		if len(args) >= 3 && args[0] == "-m" && (args[1] == "pip" || args[1] == "pip3") {
			return parsePip("pip", args[2:])
		}
	case "pip", "pip3", "pip2":
		return parsePip(cmd, args)
	case "apt-get", "apt", "aptitude":
		return parseVerb(cmd, args, "install", map[string]bool{"-o": true, "-t": true, "--target-release": true, "-c": true}, func(p string) bool {
			return strings.Contains(p, "=") || strings.HasSuffix(p, ".deb")
		})
	case "apk":
		return parseVerb(cmd, args, "add", map[string]bool{"-t": true, "--virtual": true, "-X": true, "--repository": true, "-p": true, "--root": true}, func(p string) bool {
			return strings.ContainsAny(p, "=~<>") || strings.HasSuffix(p, ".apk")
		})
	case "yum", "dnf", "microdnf", "tdnf":
		return parseVerb(cmd, args, "install", map[string]bool{"--enablerepo": true, "--disablerepo": true, "--setopt": true, "--releasever": true, "--installroot": true}, func(p string) bool {
			return rpmVersioned.MatchString(p) || strings.HasSuffix(p, ".rpm") || strings.Contains(p, "://")
		})
	}
	return install{}, false
}

// parseVerb handles "<manager> [opts] <verb> [opts] pkg…".
func parseVerb(cmd string, args []string, verb string, takesValue map[string]bool, pinned func(string) bool) (install, bool) {
	in := install{manager: cmd}
	seenVerb := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "-"):
			if a == "--no-cache" {
				in.noCache = true
			}
			if takesValue[a] {
				i++
			}
		case !seenVerb:
			if a != verb {
				return install{}, false // apt-get update, apk del…
			}
			seenVerb = true
		case isVariable(a) || strings.Contains(a, "/"):
			// $PACKAGES or a local file: not judged
		case !pinned(a):
			in.unpinned = append(in.unpinned, a)
		}
	}
	return in, seenVerb
}

func parsePip(cmd string, args []string) (install, bool) {
	if len(args) == 0 || args[0] != "install" {
		return install{}, false
	}
	in := install{manager: cmd}
	takesValue := map[string]bool{"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-e": true, "--editable": true,
		"-i": true, "--index-url": true, "--extra-index-url": true, "-t": true, "--target": true, "--prefix": true, "--root": true,
		"-f": true, "--find-links": true, "--trusted-host": true, "--platform": true, "--python-version": true}
	upgrade := false
	var pkgs []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--no-cache-dir":
			in.noCache = true
		case a == "-U" || a == "--upgrade":
			upgrade = true
		case strings.HasPrefix(a, "-"):
			if takesValue[a] {
				i++
			}
		case isVariable(a) || strings.ContainsAny(a, "/@") || strings.HasPrefix(a, "."):
			// a path, URL or VCS requirement
		case strings.ContainsAny(a, "=<>~"):
			// pinned or constrained
		default:
			pkgs = append(pkgs, a)
		}
	}
	for _, p := range pkgs {
		if upgrade && (p == "pip" || p == "setuptools" || p == "wheel") {
			continue // bootstrapping the installer itself
		}
		in.unpinned = append(in.unpinned, p)
	}
	return in, true
}

func isVariable(s string) bool { return strings.HasPrefix(s, "$") }

// cleansCache reports whether a RUN step removes (or never writes) the cache
// of manager, judging from its script and its --mount flags.
func cleansCache(manager, script string, flags []string, in install) bool {
	if in.noCache {
		return true
	}
	cacheDirs := map[string][]string{
		"apt-get": {"/var/lib/apt/lists", "/var/cache/apt"},
		"apt":     {"/var/lib/apt/lists", "/var/cache/apt"},
		"apk":     {"/var/cache/apk", "/etc/apk/cache"},
		"yum":     {"/var/cache/yum"},
		"dnf":     {"/var/cache/dnf", "/var/cache/yum"},
		"pip":     {"/root/.cache/pip", "/.cache/pip"},
	}
	key := manager
	if strings.HasPrefix(key, "pip") {
		key = "pip"
	}
	if key == "microdnf" || key == "tdnf" {
		key = "dnf"
	}
	for _, f := range flags {
		if strings.HasPrefix(f, "--mount=") && strings.Contains(f, "type=cache") {
			for _, d := range cacheDirs[key] {
				if strings.Contains(f, d) {
					return true
				}
			}
		}
	}
	switch key {
	case "apt-get", "apt", "aptitude":
		return strings.Contains(script, "/var/lib/apt/lists")
	case "apk":
		return strings.Contains(script, "/var/cache/apk")
	case "yum", "dnf":
		return strings.Contains(script, "clean all") || strings.Contains(script, "/var/cache/yum") || strings.Contains(script, "/var/cache/dnf")
	case "pip":
		return strings.Contains(script, "/.cache/pip")
	}
	return true
}
