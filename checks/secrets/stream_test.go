package secrets

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wardenbot/warden/checks"
)

func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// png is a 1×1 PNG with one tEXt chunk.
func png(keyword, text string) string {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	b.Write(pngChunk("IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0}))
	b.Write(pngChunk("tEXt", append(append([]byte(keyword), 0), text...)))
	b.Write(pngChunk("IDAT", []byte{0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01, 0x01, 0x01, 0x00}))
	b.Write(pngChunk("IEND", nil))
	return b.String()
}

func utf16LE(s string) string {
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xfe})
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.String()
}

// minified is a one-line bundle of about n bytes.
func minified(n int) string {
	unit := "function a(b){return b.map(function(c){return c*2}).filter(Boolean)};var d=[1,2,3];"
	return strings.Repeat(unit, n/len(unit)+1)
}

// scanChange runs the check on a change that adds files whole, the way
// the security gate sees a pull request.
func scanChange(t *testing.T, c *Check, files memTree) []checks.Finding {
	t.Helper()
	var fcs []checks.FileChange
	for _, p := range files.Paths() {
		fcs = append(fcs, checks.FileChange{Path: p, Status: checks.StatusAdded, Added: checks.Lines{{Start: 1, End: strings.Count(files[p], "\n") + 1}}})
	}
	tg := &checks.Target{Head: files, Base: memTree{}, Diff: checks.NewDiff("b", "h", fcs, nil), Paths: files.Paths(), MaxFileSize: checks.DefaultMaxFileSize}
	fs, err := c.Run(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

type findingAt struct {
	rule string
	line int
}

func at(fs []checks.Finding) []findingAt {
	var out []findingAt
	for _, f := range fs {
		out = append(out, findingAt{f.RuleID, f.StartLine})
	}
	return out
}

// TestHiddenSecretsAreFound holds the ways a file can hide a secret from
// a scanner that gives up on odd bytes or big files, with the traps that
// must stay quiet.
func TestHiddenSecretsAreFound(t *testing.T) {
	ghp := join("ghp", "_", rnd(90, alnum, 36))
	aws := join("AKIA", rnd(91, upper2, 16))
	elf := "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 56) + "\x03\x00\x3e\x00" + "GH_TOKEN=" + ghp + "\x00\x00\x90\x90"
	bigLines := strings.Repeat("console.log('building the bundle');\n", 200_000) // 7 MiB, 200k lines
	for _, tc := range []struct {
		name, path, content string
		want                []findingAt
	}{
		{"NUL byte before a secret", "deploy.sh", "#!/bin/sh\n\x00\nexport GH_TOKEN=" + ghp + "\n", []findingAt{{"secrets/github-pat", 3}}},
		{"a few NULs in a text file", "notes", strings.Repeat("a line of ordinary text in the notes\n", 9) + strings.Repeat("\x00"+strings.Repeat("a line of ordinary text in the notes\n", 10), 3) + "aws_access_key_id = " + aws + "\n", []findingAt{{"secrets/aws-access-token", 40}}},
		{"NUL-padded data is searched as binary", "notes", strings.Repeat("\x00\x00\x00\x00", 300) + "aws_access_key_id = " + aws + "\n", []findingAt{{"secrets/aws-access-token", 1}}},
		{"secret at the end of a 6 MiB one-line bundle", "dist/app.min.js", minified(6<<20) + "var t=\"" + ghp + "\";", []findingAt{{"secrets/github-pat", 1}}},
		{"secret on line 200001 of a 7 MiB file", "dist/app.js", bigLines + "const token = \"" + ghp + "\";\n", []findingAt{{"secrets/github-pat", 200_001}}},
		{"secret in a PNG text chunk", "assets/logo.png", png("Comment", "deploy token "+ghp), []findingAt{{"secrets/github-pat", 1}}},
		{"secret in a compiled object", "bin/tool", elf, []findingAt{{"secrets/github-pat", 1}}},
		{"UTF-16 file", "config/settings.ini", utf16LE("[aws]\r\naws_access_key_id = " + aws + "\r\n"), []findingAt{{"secrets/aws-access-token", 2}}},
		{"UTF-8 text behind a UTF-16 byte-order mark", "blob.dat", "\xff\xfe" + "GH_TOKEN=" + ghp + "\n", []findingAt{{"secrets/github-pat", 1}}},

		// False-positive traps.
		{"PNG with ordinary metadata", "assets/photo.png", png("Software", "Adobe ImageReady; created for the password reset page"), nil},
		{"PNG with an XMP packet", "assets/icon.png", png("XML:com.adobe.xmp", `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description xmp:CreatorTool="token-editor 1.0"/></x:xmpmeta>`), nil},
		{"random binary data", "data/blob.bin2", func() string {
			var b strings.Builder
			x := uint32(7)
			for i := 0; i < 1<<16; i++ {
				x = x*1664525 + 1013904223
				b.WriteByte(byte(x >> 24))
			}
			return b.String()
		}(), nil},
		{"a large clean bundle", "dist/vendor.min.js", minified(6 << 20), nil},
		{"UTF-16 text without secrets", "doc/readme.txt", utf16LE("Set your token in the TOKEN variable.\r\n"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := scanChange(t, newCheck(t, Options{}), memTree{tc.path: tc.content})
			got := at(fs)
			if len(got) != len(tc.want) {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %v, want %v", got[i], tc.want[i])
				}
			}
			for _, f := range fs {
				if strings.Contains(f.Snippet+f.Message, ghp) || strings.Contains(f.Snippet+f.Message, aws) {
					t.Errorf("secret in clear in %q / %q", f.Message, f.Snippet)
				}
			}
		})
	}
}

// TestSecretAcrossAWindowCutIsFoundOnce: a private key that straddles the
// boundary between two scan windows is found, and only once.
func TestSecretAcrossAWindowCutIsFoundOnce(t *testing.T) {
	var key strings.Builder
	key.WriteString(join("-----BEGIN RSA ", "PRIVATE KEY-----\n"))
	for i := 0; i < 25; i++ {
		key.WriteString(rnd(uint64(100+i), alnum+"+/", 64) + "\n")
	}
	key.WriteString(join("-----END RSA ", "PRIVATE KEY-----\n"))
	// Starting just before the cut (the key is whole in the first window),
	// and just before the first window's end (whole only in the second).
	for _, before := range []int{scanWindow - windowOverlap - 60, scanWindow - 100} {
		filler := strings.Repeat("x = 1\n", before/6)
		content := filler + key.String() + strings.Repeat("y = 2\n", 300_000)
		fs, _ := scanTree(t, newCheck(t, Options{}), memTree{"keys/deploy.txt": content})
		want := strings.Count(filler, "\n") + 1
		if len(fs) != 1 || fs[0].StartLine != want {
			t.Errorf("key at byte %d: want one private key at line %d, got %v", len(filler), want, at(fs))
		}
	}
}

// TestDiffBinarySecretIsNewUnlessTheBaseHadIt: the text runs of a binary
// have no added lines, so whether the change introduced a secret in one is
// decided against the base version of the file.
func TestDiffBinarySecretIsNewUnlessTheBaseHadIt(t *testing.T) {
	ghp := join("ghp", "_", rnd(92, alnum, 36))
	withKey := png("Comment", "token "+ghp)
	for _, tc := range []struct {
		name       string
		base       memTree
		introduced bool
	}{
		{"added by the change", memTree{"logo.png": png("Comment", "nothing here at all")}, true},
		{"already in the base", memTree{"logo.png": withKey}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diff := checks.NewDiff("b", "h", []checks.FileChange{{Path: "logo.png", Status: checks.StatusModified, Binary: true}}, nil)
			tg := &checks.Target{Head: memTree{"logo.png": withKey}, Base: tc.base, Diff: diff, Paths: []string{"logo.png"}, MaxFileSize: checks.DefaultMaxFileSize}
			fs, err := newCheck(t, Options{}).Run(context.Background(), tg)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Introduced != tc.introduced || fs[0].Baseline == tc.introduced {
				t.Fatalf("want one finding introduced=%v: %+v", tc.introduced, fs)
			}
		})
	}
}

// TestChangeIsScannedInAllowlistedPaths: gitleaks skips lockfiles, vendored
// code and images to keep whole-repository scans quiet; a change picks its
// own paths, so there every path is searched.
func TestChangeIsScannedInAllowlistedPaths(t *testing.T) {
	ghp := join("ghp", "_", rnd(93, alnum, 36))
	files := memTree{
		"vendor/github.com/acme/lib/client.go": "package lib\n\nconst token = \"" + ghp + "\"\n",
		"web/package-lock.json":                "{\n  \"token\": \"" + ghp + "\"\n}\n",
	}
	if fs, _ := scanTree(t, newCheck(t, Options{}), files); len(fs) != 0 {
		t.Errorf("a whole-repository scan keeps gitleaks' path allowlist: %v", at(fs))
	}
	if fs := scanChange(t, newCheck(t, Options{}), files); len(fs) != 2 {
		t.Errorf("want the token in both files of the change, got %v", at(fs))
	}
}

// TestLargeFilesLeftOutOfPathsAreStillSearched: the runner keeps files
// over its size limit from the other checks; this one streams them.
func TestLargeFilesLeftOutOfPathsAreStillSearched(t *testing.T) {
	ghp := join("ghp", "_", rnd(94, alnum, 36))
	files := memTree{"dist/app.min.js": minified(200) + "var t=\"" + ghp + "\";"}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: files}, checks.Options{Checks: []checks.Check{newCheck(t, Options{})}, MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].RuleID != "secrets/github-pat" {
		t.Fatalf("want the token found in the large file: %+v", rep.Findings)
	}
	if len(rep.Unscanned()) != 1 || rep.Passes() {
		t.Errorf("the other checks could not read it: want one unscanned note: %+v", rep.Notes)
	}
}
