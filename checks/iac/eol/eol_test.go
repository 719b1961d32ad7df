package eol

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func TestImage(t *testing.T) {
	tab := Default()
	cases := map[string]string{ // image → first EOL release, "" for none
		"node:12": "node 12", "node:16-alpine3.12": "node 16", "python:2.7.18-stretch": "python 2.7", "ubuntu:16.04": "ubuntu 16.04",
		"golang:1.15-buster": "go 1.15", "debian:stretch-slim": "debian 9", "alpine:3.12": "alpine 3.12", "docker.io/library/centos:7": "centos 7",
		"python:3.10-slim": "python 3.10", "node:22-bookworm": "", "python:3.1": "", "alpine:3.22": "", "node:lts": "", "node": "",
		"registry.example.com/node:12": "", "python:3.12-slim-buster": "debian 10",
	}
	for img, want := range cases {
		r, ok := FirstEOL(tab.Image(img), now)
		got := ""
		if ok {
			got = r.Product + " " + r.Cycle
		}
		if got != want {
			t.Errorf("Image(%q) = %q, want %q", img, got, want)
		}
	}
}

func TestLookupVersions(t *testing.T) {
	tab := Default()
	for v, want := range map[string]string{"16.x": "16", "v18.19.0": "18", "go1.21.3": "1.21", "3.10.4": "3.10", "3.1": ""} {
		prod := "node"
		if v == "go1.21.3" {
			prod = "go"
		} else if v[0] == '3' {
			prod = "python"
		}
		r, _ := tab.Lookup(prod, v)
		if r.Cycle != want {
			t.Errorf("Lookup(%s, %q) = %q, want %q", prod, v, r.Cycle, want)
		}
	}
	if r, ok := tab.LambdaRuntime("nodejs16.x"); !ok || r.Cycle != "16" || !r.IsEOL(now) {
		t.Errorf("LambdaRuntime(nodejs16.x) = %+v %v", r, ok)
	}
}

func TestParseRejectsBadData(t *testing.T) {
	for _, bad := range []string{`{"products": {"x": {"releases": [{"cycle": "1", "eol": "soon"}]}}}`, `{"unknown": 1}`, `[`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) accepted bad data", bad)
		}
	}
	if Default().Updated == "" || Default().Source == "" {
		t.Error("shipped table lacks its date or source")
	}
}
