package sniff

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

// pngWithText is a minimal PNG: signature, IHDR, a tEXt chunk and IEND.
func pngWithText(keyword, text string) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0})
	chunk("tEXt", append(append([]byte(keyword), 0), text...))
	chunk("IEND", nil)
	return b.Bytes()
}

func utf16le(s string, bom bool) []byte {
	var b bytes.Buffer
	if bom {
		b.Write([]byte{0xff, 0xfe})
	}
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}

func TestClassify(t *testing.T) {
	source := strings.Repeat("func main() { fmt.Println(\"hello\") }\n", 40)
	for _, tc := range []struct {
		name    string
		path    string
		content []byte
		want    Kind
	}{
		// Text whatever stray bytes it holds: the bypass was one NUL.
		{"source", "main.go", []byte(source), Text},
		{"one NUL before the rest", "deploy.sh", []byte("#!/bin/sh\n\x00\nexport TOKEN=abc\n"), Text},
		{"one NUL, no extension", "notes", []byte("\x00" + source), Text},
		{"text extension with binary magic", "app.js", append([]byte("\x89PNG\r\n\x1a\n"), source...), Text},
		{"minified bundle", "dist/app.min.js", []byte(strings.Repeat("var a=function(b){return b+1};", 300)), Text},
		{"UTF-8 prose", "README", []byte(strings.Repeat("Grüße aus Köln — 東京 ✓\n", 50)), Text},
		{"ANSI colours in a log", "build.out", []byte(strings.Repeat("\x1b[32mok\x1b[0m step\n", 50)), Text},
		{"word MZ at the start", "AUTHORS", []byte("MZ Smith <mz@example.invalid>\n" + source), Text},
		{"empty", "empty", nil, Text},
		{"UTF-16 with BOM", "strings.txt", utf16le("key = value\r\n", true), UTF16LE},
		{"UTF-16 without BOM", "win.reg", utf16le(strings.Repeat("REGEDIT4 setting\r\n", 8), false), UTF16LE},

		// Real binaries.
		{"PNG", "logo.png", pngWithText("Software", "an image editor"), Binary},
		{"PNG without extension", "logo", pngWithText("Software", "an image editor"), Binary},
		{"ELF", "tool", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 120)...), Binary},
		{"zip", "bundle", append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), make([]byte, 64)...), Binary},
		{"gzip", "data", append([]byte{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0}, bytes.Repeat([]byte{0x93, 0x01}, 100)...), Binary},
		{"binary extension", "font.woff2", []byte("wOF2 looks like text"), Binary},
		{"mostly NULs", "blob", append(make([]byte, 4000), source...), Binary},
		{"random bytes", "random", func() []byte {
			b := make([]byte, 4096)
			x := uint32(1)
			for i := range b {
				x = x*1664525 + 1013904223
				b[i] = byte(x >> 24)
			}
			return b
		}(), Binary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.path, tc.content); got != tc.want {
				t.Errorf("Classify(%q) = %s, want %s", tc.path, got, tc.want)
			}
		})
	}
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTextRunsKeepsLongRunsOnly(t *testing.T) {
	in := []byte("\x00\x01short\x00\x02" + "a credential-like run" + "\xff\x00" + "multi\nline text run" + "\x00")
	got := readAll(t, TextRuns(bytes.NewReader(in), MinRun))
	want := "a credential-like run\xff\nmulti\nline text run\n"
	if got != want {
		t.Errorf("runs %q, want %q", got, want)
	}
}

// TestTextRunsAcrossReadBoundaries: a run split between two reads of the
// source comes out whole.
func TestTextRunsAcrossReadBoundaries(t *testing.T) {
	var in bytes.Buffer
	long := 0
	for i := 0; i < 20000; i++ {
		run := "run-number-" + strings.Repeat("x", i%7)
		in.WriteString("\x00\x01" + run)
		if len(run) >= MinRun {
			long++
		}
	}
	got := readAll(t, TextRuns(io.LimitReader(&in, int64(in.Len())), MinRun))
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != long {
		t.Fatalf("got %d runs, want %d", len(lines), long)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "run-number-") || len(l) < MinRun {
			t.Fatalf("run %q was cut or too short", l)
		}
	}
}

func TestDecodeUTF16(t *testing.T) {
	want := "password = hunter2-but-longer\r\nnext line ✓\r\n"
	if got := readAll(t, DecodeUTF16(bytes.NewReader(utf16le(want, true)), UTF16LE)); got != want {
		t.Errorf("decoded %q, want %q", got, want)
	}
	if got := readAll(t, DecodeUTF16(bytes.NewReader(utf16le(want, false)), UTF16LE)); got != want {
		t.Errorf("decoded without BOM %q, want %q", got, want)
	}
}

// FuzzClassify: any content classifies without panicking, the decision
// depends only on the first Len bytes, and text runs of binary data are
// always at least MinRun long.
func FuzzClassify(f *testing.F) {
	f.Add("a.go", []byte("package main\n\x00\n"))
	f.Add("logo.png", pngWithText("Comment", "hello there, a comment"))
	f.Add("u.txt", utf16le("hi there", true))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		k := Classify(name, content)
		if len(content) > Len && Classify(name, content[:Len]) != k {
			t.Fatalf("classification looked past the first %d bytes", Len)
		}
		out, err := io.ReadAll(TextRuns(bytes.NewReader(content), MinRun))
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
			if len(out) > 0 && !bytes.Contains(content, run) {
				t.Fatalf("run %q is not in the content", run)
			}
		}
		if len(out) > len(content)*2 {
			t.Fatalf("runs (%d bytes) longer than twice the content (%d)", len(out), len(content))
		}
	})
}
