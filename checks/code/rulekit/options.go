package rulekit

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// optionPrograms have command-line options that run another command or
// write a file the caller names (git --upload-pack, ssh -oProxyCommand,
// curl -o, tar --to-command, find -exec, rsync -e, zip -TT, tcpdump -z,
// sendmail -X), so an argument that begins with "-" is an attack even
// though no shell is involved (CWE-88).
var optionPrograms = map[string]bool{"git": true, "hg": true, "ssh": true, "scp": true, "sftp": true, "rsync": true,
	"curl": true, "wget": true, "tar": true, "zip": true, "find": true, "tcpdump": true, "sendmail": true}

// OptionArgs returns the arguments of a run of prog that the program may
// read as options: those not written as literals, up to a literal "--"
// (which ends the options). A value right after a literal option ("-m",
// "--depth") is taken to be that option's value: without a table of every
// program's options this gives up some findings (after a flag that takes
// no value) rather than report `git commit -m msg`. It returns nil unless prog is a literal naming
// one of optionPrograms. A sink built on it must judge only the beginning
// of each value (engine.Sink.Program): "refs/heads/" + name cannot start
// an option.
func OptionArgs(prog *ir.Expr, args []*ir.Expr) []*ir.Expr {
	name, ok := ir.StringValue(prog)
	if !ok || !optionPrograms[strings.TrimSuffix(path.Base(strings.TrimSpace(name)), ".exe")] {
		return nil
	}
	var out []*ir.Expr
	afterOption := false
	for _, a := range Flatten(args) {
		if s, ok := ir.StringValue(a); ok {
			if s == "--" {
				break
			}
			afterOption = strings.HasPrefix(s, "-") && !strings.Contains(s, "=")
			continue
		}
		if !afterOption {
			out = append(out, a)
		}
		afterOption = false
	}
	return out
}
