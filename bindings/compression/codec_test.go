package compression

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomBytes returns n bytes that do not compress, the same for the same n.
func randomBytes(n int) []byte {
	p := make([]byte, n)
	r := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range p {
		p[i] = byte(r.Uint32())
	}
	return p
}

var formats = []format{formatDeflate, formatDeflateRaw, formatGzip}

// code writes input to c in chunks of size bytes (all at once for 0), then
// finishes, and returns the output. Every piece must be non-empty and at most
// pieceSize bytes.
func code(t testing.TB, c coder, input []byte, size int) ([]byte, error) {
	t.Helper()
	var out []byte
	drain := func() error {
		for {
			piece, err := c.next()
			if err != nil || piece == nil {
				return err
			}
			if len(piece) == 0 || len(piece) > pieceSize {
				t.Fatalf("a piece of %d bytes", len(piece))
			}
			out = append(out, piece...)
		}
	}
	if size == 0 {
		size = max(len(input), 1)
	}
	for len(input) > 0 {
		n := min(size, len(input))
		if err := c.write(bytes.Clone(input[:n])); err != nil {
			return out, err
		}
		input = input[n:]
		if err := drain(); err != nil {
			return out, err
		}
	}
	c.finish()
	return out, drain()
}

// stdReader returns the standard library's reader of format f over r.
func stdReader(f format, r io.Reader) (io.Reader, error) {
	switch f {
	case formatDeflate:
		return zlib.NewReader(r)
	case formatDeflateRaw:
		return flate.NewReader(r), nil
	}
	zr, err := gzip.NewReader(r)
	if err == nil {
		zr.Multistream(false)
	}
	return zr, err
}

// stdDecode decodes data as the standard asks, with the standard library
// reading from memory: ok is false on an error or data after the end.
func stdDecode(f format, data []byte) (out []byte, ok bool) {
	br := bytes.NewReader(data)
	r, err := stdReader(f, br)
	if err != nil {
		return nil, false
	}
	out, err = io.ReadAll(r)
	return out, err == nil && br.Len() == 0
}

func TestRoundTripCoders(t *testing.T) {
	inputs := map[string][]byte{
		"empty":  nil,
		"byte":   {'a'},
		"text":   []byte(strings.Repeat("to be or not to be, ", 5000)),
		"random": randomBytes(300 << 10),
	}
	for _, f := range formats {
		for name, input := range inputs {
			for _, size := range []int{0, 1, 1000, pieceSize + 1} {
				if size == 1 && len(input) > 1000 {
					continue
				}
				compressed, err := code(t, newCompressor(f), input, size)
				if err != nil {
					t.Fatalf("%s %s/%d: compress: %v", f, name, size, err)
				}
				if std, ok := stdDecode(f, compressed); !ok || !bytes.Equal(std, input) {
					t.Errorf("%s %s/%d: the standard library reads %d bytes (ok %v), want %d", f, name, size, len(std), ok, len(input))
				}
				for _, dsize := range []int{0, 1, 7} {
					if dsize == 1 && len(compressed) > 5000 {
						continue
					}
					back, err := code(t, newDecompressor(f), compressed, dsize)
					if err != nil || !bytes.Equal(back, input) {
						t.Errorf("%s %s/%d: decompressed in chunks of %d: %d bytes, %v", f, name, size, dsize, len(back), err)
					}
				}
			}
		}
	}
}

// TestDecompressStandardLibrary decompresses what other settings of the
// standard library's writers make: levels, flushes and gzip header fields.
func TestDecompressStandardLibrary(t *testing.T) {
	input := []byte(strings.Repeat("all work and no play ", 3000))
	for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.BestCompression, flate.HuffmanOnly} {
		var raw, zl, gz bytes.Buffer
		fw, _ := flate.NewWriter(&raw, level)
		zw, _ := zlib.NewWriterLevel(&zl, level)
		gw, _ := gzip.NewWriterLevel(&gz, level)
		gw.Name, gw.Comment, gw.Extra = "name.txt", "a comment", []byte("extra")
		for _, w := range []interface {
			io.Writer
			Flush() error
			Close() error
		}{fw, zw, gw} {
			_, _ = w.Write(input[:1000])
			_ = w.Flush()
			_, _ = w.Write(input[1000:])
			_ = w.Close()
		}
		for f, data := range map[format][]byte{formatDeflateRaw: raw.Bytes(), formatDeflate: zl.Bytes(), formatGzip: gz.Bytes()} {
			back, err := code(t, newDecompressor(f), data, 100)
			if err != nil || !bytes.Equal(back, input) {
				t.Errorf("%s level %d: %d bytes, %v", f, level, len(back), err)
			}
		}
	}
}

func TestDecompressErrors(t *testing.T) {
	compress := func(f format, s string) []byte {
		out, err := code(t, newCompressor(f), []byte(s), 0)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	zl, gz, raw := compress(formatDeflate, "hello"), compress(formatGzip, "hello"), compress(formatDeflateRaw, "hello")
	flip := func(p []byte, i int) []byte {
		p = bytes.Clone(p)
		p[(i+len(p))%len(p)] ^= 0x55
		return p
	}
	cases := []struct {
		name   string
		f      format
		chunks [][]byte
		want   string
	}{
		{"nothing", formatDeflate, nil, "The input ended before the end of the deflate stream"},
		{"truncated zlib", formatDeflate, [][]byte{zl[:len(zl)-1]}, "The input ended before the end of the deflate stream"},
		{"truncated gzip header", formatGzip, [][]byte{gz[:5]}, "The input ended before the end of the gzip stream"},
		{"truncated raw", formatDeflateRaw, [][]byte{raw[:2]}, "The input ended before the end of the deflate-raw stream"},
		{"trailing byte", formatDeflateRaw, [][]byte{append(bytes.Clone(raw), 0)}, "There is data after the end of the deflate-raw stream"},
		{"trailing chunk", formatDeflate, [][]byte{zl, {}, {1}}, "There is data after the end of the deflate stream"},
		{"second gzip member", formatGzip, [][]byte{gz, gz}, "There is data after the end of the gzip stream"},
		{"adler32", formatDeflate, [][]byte{flip(zl, -1)}, "The deflate data is not valid (zlib: invalid checksum)"},
		{"crc32", formatGzip, [][]byte{flip(gz, -8)}, "The gzip data is not valid (gzip: invalid checksum)"},
		{"isize", formatGzip, [][]byte{flip(gz, -1)}, "The gzip data is not valid (gzip: invalid checksum)"},
		{"zlib header", formatDeflate, [][]byte{flip(zl, 0)}, "The deflate data is not valid (zlib: invalid header)"},
		{"gzip magic", formatGzip, [][]byte{flip(gz, 0)}, "The gzip data is not valid (gzip: invalid header)"},
		{"block type", formatDeflateRaw, [][]byte{{0x07}}, "The deflate-raw data is not valid (flate: corrupt input before offset 1)"},
		{"gzip read as zlib", formatDeflate, [][]byte{gz}, "The deflate data is not valid (zlib: invalid header)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := newDecompressor(c.f)
			var err error
			for _, p := range c.chunks {
				if err = d.write(bytes.Clone(p)); err != nil {
					break
				}
				for {
					var piece []byte
					if piece, err = d.next(); err != nil || piece == nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			if err == nil {
				d.finish()
				for {
					var piece []byte
					if piece, err = d.next(); err != nil || piece == nil {
						break
					}
				}
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			// The error is final.
			if _, again := d.next(); again != err {
				t.Errorf("next after the error: %v", again)
			}
			if again := d.write([]byte{1}); again != err {
				t.Errorf("write after the error: %v", again)
			}
		})
	}
}
