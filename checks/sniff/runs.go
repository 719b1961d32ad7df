package sniff

import (
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MinRun is the shortest run of text inside binary data worth searching:
// shorter than any credential a rule can tell from noise.
const MinRun = 12

// TextRuns reads the runs of text in binary data: every stretch of at
// least minLen printable bytes (ASCII, tabs, line breaks, and bytes of
// multi-byte UTF-8), each ended by a line break. It is what `strings` does,
// streamed, so a credential inside an image, archive member stored
// uncompressed or compiled object is still found.
func TextRuns(r io.Reader, minLen int) io.Reader {
	return &runReader{src: r, buf: make([]byte, 64<<10), min: max(minLen, 1)}
}

type runReader struct {
	src     io.Reader
	buf     []byte
	min     int
	pending []byte // the start of a run not yet known to be long enough
	inRun   bool   // the current run reached min and is being copied
	out     []byte // ready to be read
	err     error
}

func runByte(c byte) bool {
	return c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r'
}

func (r *runReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.fill()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// fill converts the next chunk of the source.
func (r *runReader) fill() {
	n, err := r.src.Read(r.buf)
	r.out = r.out[:0]
	for _, c := range r.buf[:n] {
		switch {
		case runByte(c) && r.inRun:
			r.out = append(r.out, c)
		case runByte(c):
			r.pending = append(r.pending, c)
			if len(r.pending) >= r.min {
				r.out = append(r.out, r.pending...)
				r.pending, r.inRun = r.pending[:0], true
			}
		default:
			r.endRun()
		}
	}
	if err != nil {
		r.endRun()
		r.err = err
	}
}

func (r *runReader) endRun() {
	if r.inRun {
		r.out = append(r.out, '\n')
	}
	r.pending, r.inRun = r.pending[:0], false
}

// DecodeUTF16 turns UTF-16 text of the given kind into UTF-8, streamed. A
// byte-order mark is dropped; unpaired surrogates become U+FFFD.
func DecodeUTF16(r io.Reader, k Kind) io.Reader {
	order := unicode.LittleEndian
	if k == UTF16BE {
		order = unicode.BigEndian
	}
	return transform.NewReader(r, unicode.UTF16(order, unicode.UseBOM).NewDecoder())
}
