package compression

import (
	"bytes"
	"testing"
)

// FuzzDecompress decompresses arbitrary bytes, cut into two chunks, in each
// format: it must end, with the output or an error, never a panic or a hang,
// and agree with the standard library reading the whole input from memory,
// data after the end of the stream being an error.
func FuzzDecompress(f *testing.F) {
	for _, fm := range formats {
		for _, s := range []string{"", "a", "hello, hello, hello, world"} {
			c, err := code(f, newCompressor(fm), []byte(s), 0)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(c, uint8(fm), uint16(len(c)/2))
			f.Add(append(c, 0), uint8(fm), uint16(1))
			f.Add(c[:len(c)-1], uint8(fm), uint16(3))
		}
	}
	f.Add([]byte{0x78, 0xbb, 0x74, 0xee, 0x09, 0x59, 0x2b, 0xc1, 0x2e, 0x0c, 0x00, 0x74, 0xee, 0x09, 0x59}, uint8(formatDeflate), uint16(4))
	f.Add([]byte{31, 139, 8, 2, 0, 0, 0, 0, 0, 3, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 176, 1, 57, 179, 15, 0, 0, 0}, uint8(formatGzip), uint16(10))
	f.Fuzz(func(t *testing.T, data []byte, which uint8, cut uint16) {
		fm := formats[int(which)%len(formats)]
		at := int(cut) % (len(data) + 1)
		d := newDecompressor(fm)
		var out []byte
		var err error
		for _, chunk := range [][]byte{data[:at], data[at:]} {
			if err = d.write(bytes.Clone(chunk)); err != nil {
				break
			}
			if err = drain(d, &out); err != nil {
				break
			}
		}
		if err == nil {
			d.finish()
			err = drain(d, &out)
		}
		want, ok := stdDecode(fm, data)
		if ok != (err == nil) {
			t.Fatalf("%s: error %v, but the standard library's ok is %v", fm, err, ok)
		}
		if ok && !bytes.Equal(out, want) {
			t.Fatalf("%s: %d bytes, the standard library reads %d", fm, len(out), len(want))
		}
	})
}

// drain appends d's output to out until d needs input or fails.
func drain(d coder, out *[]byte) error {
	for {
		piece, err := d.next()
		if err != nil || piece == nil {
			return err
		}
		*out = append(*out, piece...)
	}
}
