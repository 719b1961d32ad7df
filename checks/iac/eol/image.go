package eol

import (
	"regexp"
	"strings"
)

var leadingVersion = regexp.MustCompile(`^v?(\d+(?:\.\d+)*)`)

// Image returns the releases an image reference is built on, as far as its
// name and tag tell: the runtime ("python:3.8-slim-buster" → Python 3.8) and
// the distribution variant in the tag (→ Debian 10). Images it does not
// recognise, untagged images and tags without a version yield nothing.
func (t *Table) Image(ref string) []Release {
	name, tag := splitImage(ref)
	if tag == "" {
		return nil
	}
	key, ok := t.byImage[name]
	if !ok {
		return nil
	}
	var out []Release
	parts := strings.Split(tag, "-")
	if m := leadingVersion.FindStringSubmatch(parts[0]); m != nil {
		if r, ok := t.Lookup(key, m[1]); ok {
			out = append(out, r)
		}
	} else if r, ok := t.Lookup(key, parts[0]); ok { // "buster-slim", "xenial-20210114"
		out = append(out, r)
	}
	for _, variant := range parts[1:] {
		if r, ok := t.variant(variant); ok && r.Product != key {
			out = append(out, r)
		}
	}
	return out
}

// variant recognises distribution suffixes of official images: Debian and
// Ubuntu code names ("buster", "focal") and "alpine3.12".
func (t *Table) variant(s string) (Release, bool) {
	if v, ok := strings.CutPrefix(s, "alpine"); ok && v != "" {
		return t.Lookup("alpine", v)
	}
	for _, distro := range []string{"debian", "ubuntu"} {
		if r, ok := t.Lookup(distro, s); ok && r.Codename != "" && strings.EqualFold(s, r.Codename) {
			return r, true
		}
	}
	return Release{}, false
}

// splitImage returns the repository name without registry host or
// "library/" prefix, and the tag ("" when absent). A digest is dropped.
func splitImage(ref string) (name, tag string) {
	ref = strings.TrimSpace(strings.ToLower(ref))
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	if first, rest, ok := strings.Cut(ref, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		if first != "docker.io" && first != "index.docker.io" && first != "public.ecr.aws" && first != "mirror.gcr.io" {
			return "", tag // a private registry's "node" is not known to be the official one
		}
		ref = rest
	}
	ref = strings.TrimPrefix(ref, "library/")
	ref = strings.TrimPrefix(ref, "docker/library/") // public.ecr.aws/docker/library/node
	return ref, tag
}

// LambdaRuntime maps an AWS Lambda runtime identifier ("nodejs12.x",
// "python3.7", "ruby2.7", "java11") to its release.
func (t *Table) LambdaRuntime(runtime string) (Release, bool) {
	rt := strings.ToLower(strings.TrimSpace(runtime))
	for prefix, key := range t.byLambda {
		if v, ok := strings.CutPrefix(rt, prefix); ok && v != "" && v[0] >= '0' && v[0] <= '9' {
			v = strings.TrimSuffix(v, ".al2")
			return t.Lookup(key, v)
		}
	}
	return Release{}, false
}
