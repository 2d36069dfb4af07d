package loader

import (
	"bytes"
	"strings"
)

// goja looks source maps up with 1-based generated columns and returns the original
// column as stored, 0-based, while source map columns are 0-based throughout.
// shiftColumns rewrites a source map's mappings so that both become 1-based: every
// generated and every original column is one more. Generated columns restart at each
// line, so the first segment of each line changes; original columns are relative to the
// previous segment across the whole map, so only the first segment that has one changes.
func shiftColumns(smap []byte) []byte {
	const key = `"mappings": "`
	i := bytes.Index(smap, []byte(key))
	if i < 0 {
		return smap
	}
	start := i + len(key)
	n := bytes.IndexByte(smap[start:], '"')
	if n < 0 {
		return smap
	}
	out := make([]byte, 0, len(smap)+len(smap)/16+16)
	out = append(out, smap[:start]...)
	srcDone := false
	var fields []int
	rest := smap[start : start+n]
	for {
		line, more, found := bytes.Cut(rest, []byte{';'})
		for k := 0; len(line) > 0; k++ {
			seg, others, hasOthers := bytes.Cut(line, []byte{','})
			if k > 0 && srcDone {
				out = append(out, line...)
				break
			}
			var ok bool
			if fields, ok = decodeVLQ(fields[:0], seg); !ok {
				return smap
			}
			if k == 0 {
				fields[0]++
			}
			if !srcDone && len(fields) >= 4 {
				fields[3]++
				srcDone = true
			}
			for _, f := range fields {
				out = appendVLQ(out, f)
			}
			if hasOthers {
				out = append(out, ',')
			}
			line = others
		}
		if !found {
			break
		}
		out = append(out, ';')
		rest = more
	}
	return append(out, smap[start+n:]...)
}

const vlqChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeVLQ appends the base64 VLQ numbers of one source map segment to dst.
func decodeVLQ(dst []int, seg []byte) ([]int, bool) {
	shift, value := 0, 0
	for _, c := range seg {
		d := strings.IndexByte(vlqChars, c)
		if d < 0 || shift > 30 {
			return dst, false
		}
		value |= (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		if value&1 != 0 {
			dst = append(dst, -(value >> 1))
		} else {
			dst = append(dst, value>>1)
		}
		shift, value = 0, 0
	}
	return dst, shift == 0 && len(dst) > 0
}

// appendVLQ appends v as a base64 VLQ number.
func appendVLQ(dst []byte, v int) []byte {
	u := v << 1
	if v < 0 {
		u = (-v << 1) | 1
	}
	for {
		d := u & 31
		u >>= 5
		if u != 0 {
			d |= 32
		}
		dst = append(dst, vlqChars[d])
		if u == 0 {
			return dst
		}
	}
}
