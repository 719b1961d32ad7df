package kube

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/iac/internal/secretname"
)

// sensitiveHostPaths give control of the node when mounted into a pod.
var sensitiveHostPaths = []string{"/", "/etc", "/proc", "/sys", "/root", "/boot", "/dev", "/var/lib/kubelet", "/var/lib/docker",
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio", "/var/run", "/run"}

// dangerousCaps allow container escape or control over the node.
var dangerousCaps = map[string]bool{"SYS_ADMIN": true, "NET_ADMIN": true, "ALL": true, "SYS_MODULE": true, "SYS_PTRACE": true,
	"SYS_RAWIO": true, "BPF": true, "DAC_READ_SEARCH": true, "SYS_BOOT": true, "PERFMON": true}

// podSecurity is what the pod-level securityContext sets for all containers.
type podSecurity struct {
	runAsNonRoot entry
	runAsUser    entry
}

func (s *scanner) podSpec(obj string, spec entry) {
	ps := spec.val
	for _, ns := range []string{"hostNetwork", "hostPID", "hostIPC"} {
		if e := get(ps, ns); e.ok() {
			if v, _ := boolean(e.val); v {
				s.add(RuleHostNamespace, e.key, obj+"|"+ns, nil, "%s sets %s: true and shares the node's %s namespace.", obj, ns, strings.TrimPrefix(ns, "host"))
			}
		}
	}
	for _, v := range items(get(ps, "volumes").val) {
		hp := get(v, "hostPath")
		if !hp.ok() {
			continue
		}
		p := str(get(hp.val, "path").val)
		sev := checks.SeverityMedium
		if isSensitiveHostPath(p) {
			sev = checks.SeverityHigh
		}
		s.addSev(RuleHostPath, hp.key, sev, obj+"|"+p, nil, "%s mounts the node's %s into the pod through volume %q.", obj, quoteOr(p, "path"), str(get(v, "name").val))
	}
	s.automount(obj, spec)

	pod := podSecurity{runAsNonRoot: lookup(ps, "securityContext", "runAsNonRoot"), runAsUser: lookup(ps, "securityContext", "runAsUser")}
	for _, list := range []string{"initContainers", "containers", "ephemeralContainers"} {
		for _, c := range items(get(ps, list).val) {
			if c.Kind == yaml.MappingNode {
				s.container(obj, c, pod)
			}
		}
	}
}

func (s *scanner) automount(obj string, spec entry) {
	e := get(spec.val, "automountServiceAccountToken")
	if e.ok() {
		if v, ok := boolean(e.val); ok && v {
			s.add(RuleAutomountToken, e.key, obj, nil, "%s mounts a service account token into every container.", obj)
		}
		return
	}
	sa := str(get(spec.val, "serviceAccountName").val)
	if sa == "" {
		sa = str(get(spec.val, "serviceAccount").val)
	}
	if sa == "" {
		sa = "default"
	}
	if s.noAutomount[sa] {
		return
	}
	s.add(RuleAutomountToken, spec.key, obj, nil, "%s does not set automountServiceAccountToken: false, so containers get an API token for service account %q.", obj, sa)
}

func isSensitiveHostPath(p string) bool {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return true
	}
	for _, s := range sensitiveHostPaths {
		if p == strings.TrimRight(s, "/") {
			return true
		}
	}
	return strings.HasSuffix(p, ".sock")
}

func quoteOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// container checks one container, falling back to the pod securityContext
// for settings the container leaves unset.
func (s *scanner) container(obj string, c *yaml.Node, pod podSecurity) {
	nameE := get(c, "name")
	name := str(nameE.val)
	anchor := c // the "- name:" line, or the mapping's first line
	if nameE.ok() {
		anchor = nameE.key
	}
	id := obj + "/" + name
	what := fmt.Sprintf("container %q of %s", name, obj)
	sc := get(c, "securityContext")

	privileged := false
	if e := lookup(c, "securityContext", "privileged"); e.ok() {
		if v, _ := boolean(e.val); v {
			privileged = true
			s.add(RulePrivileged, e.key, id, nil, "%s runs privileged, with full access to the node.", capital(what))
		}
	}

	if e := lookup(c, "securityContext", "allowPrivilegeEscalation"); e.ok() {
		if v, ok := boolean(e.val); ok && v {
			s.add(RuleEscalation, e.key, id, s.replaceValue(e, "false"), "%s sets allowPrivilegeEscalation: true.", capital(what))
		}
	} else if !privileged {
		s.add(RuleEscalation, anchor, id, s.insertInto(sc, "allowPrivilegeEscalation: false"), "%s does not set allowPrivilegeEscalation: false (it defaults to true).", capital(what))
	}

	s.runAsRoot(id, what, anchor, c, pod)

	for _, capItem := range items(lookup(c, "securityContext", "capabilities", "add").val) {
		cp := strings.TrimPrefix(strings.ToUpper(str(capItem)), "CAP_")
		if dangerousCaps[cp] {
			s.add(RuleCapabilities, capItem, id+"|"+cp, nil, "%s adds the %s capability.", capital(what), cp)
		}
	}

	if e := lookup(c, "securityContext", "readOnlyRootFilesystem"); e.ok() {
		if v, ok := boolean(e.val); ok && !v {
			s.add(RuleWritableRootFS, e.key, id, s.replaceValue(e, "true"), "%s sets readOnlyRootFilesystem: false.", capital(what))
		}
	} else {
		s.add(RuleWritableRootFS, anchor, id, s.insertInto(sc, "readOnlyRootFilesystem: true"), "%s does not set readOnlyRootFilesystem: true.", capital(what))
	}

	s.limits(id, what, anchor, c)
	s.image(id, what, c)
	s.env(id, what, c)
}

func (s *scanner) runAsRoot(id, what string, anchor, c *yaml.Node, pod podSecurity) {
	nonRoot, user := lookup(c, "securityContext", "runAsNonRoot"), lookup(c, "securityContext", "runAsUser")
	if !nonRoot.ok() {
		nonRoot = pod.runAsNonRoot
	}
	if !user.ok() {
		user = pod.runAsUser
	}
	if user.ok() {
		if uid, ok := integer(user.val); ok && uid == 0 {
			s.add(RuleRunAsRoot, user.key, id, nil, "%s runs as UID 0 (runAsUser: 0).", capital(what))
			return
		}
	}
	if nonRoot.ok() {
		if v, ok := boolean(nonRoot.val); ok {
			if v {
				return
			}
			s.add(RuleRunAsRoot, nonRoot.key, id, nil, "%s sets runAsNonRoot: false.", capital(what))
			return
		}
	}
	if user.ok() {
		if uid, ok := integer(user.val); ok && uid > 0 {
			return
		}
	}
	if !nonRoot.ok() && !user.ok() {
		s.add(RuleRunAsRoot, anchor, id, nil, "%s sets neither runAsNonRoot: true nor a non-zero runAsUser, here or in the pod securityContext.", capital(what))
	}
}

func (s *scanner) limits(id, what string, anchor, c *yaml.Node) {
	lim := lookup(c, "resources", "limits")
	var missing []string
	for _, r := range []string{"memory", "cpu"} {
		if !get(lim.val, r).ok() {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		s.add(RuleLimits, anchor, id, nil, "%s sets no %s limit.", capital(what), strings.Join(missing, " or "))
	}
}

func (s *scanner) image(id, what string, c *yaml.Node) {
	e := get(c, "image")
	ref := str(e.val)
	if !e.ok() || ref == "" || strings.Contains(ref, "{{") || strings.Contains(ref, "$(") || strings.Contains(ref, "${") {
		return
	}
	name, tag, digest := splitRef(ref)
	if digest == "" && (tag == "" || tag == "latest") {
		s.add(RuleImageLatest, e.key, id+"|"+name, nil, "%s uses image %s without a pinned version.", capital(what), ref)
	}
	if s.opts.EOL != nil {
		if r, ok := eol.FirstEOL(s.opts.EOL.Image(ref), s.opts.Now); ok {
			f := eol.Finding(s.path, e.key.Line, fmt.Sprintf("Image %s of %s", ref, what), r, 0)
			s.out = append(s.out, f)
		}
	}
}

func splitRef(ref string) (name, tag, digest string) {
	name = strings.ToLower(strings.TrimSpace(ref))
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	if i := strings.LastIndex(name, ":"); i >= 0 && !strings.Contains(name[i:], "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

func (s *scanner) env(id, what string, c *yaml.Node) {
	for _, ev := range items(get(c, "env").val) {
		name := str(get(ev, "name").val)
		v := get(ev, "value")
		if v.ok() && v.val.Kind == yaml.ScalarNode && secretname.IsSecretName(name) && secretname.IsLiteral(v.val.Value) {
			s.add(RuleSecretEnv, v.key, id+"|"+name, nil, "%s sets %s to a literal value instead of a secretKeyRef.", capital(what), name)
		}
	}
}

// replaceValue builds a fix that rewrites a scalar on its own line.
func (s *scanner) replaceValue(e entry, val string) *checks.Fix {
	l := e.key.Line
	if e.val.Line != l || l < 1 || l > len(s.lines) {
		return nil
	}
	line := strings.TrimRight(s.lines[l-1], "\r")
	col := e.val.Column - 1
	if col < 0 || col+len(e.val.Value) > len(line) || line[col:col+len(e.val.Value)] != e.val.Value {
		return nil
	}
	return &checks.Fix{StartLine: l, EndLine: l, Replacement: line[:col] + val + line[col+len(e.val.Value):]}
}

// insertInto builds a fix that adds a key at the top of an existing block
// securityContext mapping, indented like its first key.
func (s *scanner) insertInto(sc entry, kv string) *checks.Fix {
	if !sc.ok() || !isBlockMapping(sc.val) {
		return nil
	}
	l := sc.key.Line
	first := sc.val.Content[0]
	if first.Line <= l || l < 1 || l > len(s.lines) {
		return nil
	}
	line := strings.TrimRight(s.lines[l-1], "\r")
	return &checks.Fix{StartLine: l, EndLine: l, Replacement: line + "\n" + strings.Repeat(" ", first.Column-1) + kv,
		Description: "add " + kv}
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
