package encoding

import (
	"sort"
	"sync"
	"unicode/utf8"

	xenc "golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The indexes of the legacy multi-byte encodings
// (https://encoding.spec.whatwg.org/#indexes) map pointers to code points, 0
// standing for null. golang.org/x/text decodes with tables generated from
// these indexes but keeps them unexported, so each index is read back once
// per process, when first needed, by decoding the byte sequence of every
// pointer with the x/text decoder; the few entries in which x/text lags
// the standard are then corrected. Only the handlers of this package read
// the indexes: x/text's error handling is not used.
var (
	jis0208Index = sync.OnceValue(func() []rune {
		// Shift_JIS reaches every pointer of index jis0208.
		return readIndex(japanese.ShiftJIS, 60*188, func(p int) []byte {
			lead, trail := p/188, p%188
			return []byte{byte(lead + offsetIf(lead < 0x1F, 0x81, 0xC1)), byte(trail + offsetIf(trail < 0x3F, 0x40, 0x41))}
		})
	})
	jis0212Index = sync.OnceValue(func() []rune {
		return readIndex(japanese.EUCJP, 94*94, func(p int) []byte {
			return []byte{0x8F, byte(p/94 + 0xA1), byte(p%94 + 0xA1)}
		})
	})
	eucKRIndex = sync.OnceValue(func() []rune {
		return readIndex(korean.EUCKR, 126*190, func(p int) []byte {
			return []byte{byte(p/190 + 0x81), byte(p%190 + 0x41)}
		})
	})
	big5Index = sync.OnceValue(func() []rune {
		return readIndex(traditionalchinese.Big5, 126*157, func(p int) []byte {
			trail := p % 157
			return []byte{byte(p/157 + 0x81), byte(trail + offsetIf(trail < 0x3F, 0x40, 0x62))}
		})
	})
	gb18030Index = sync.OnceValue(func() []rune {
		index := readIndex(simplifiedchinese.GB18030, 126*190, func(p int) []byte {
			trail := p % 190
			return []byte{byte(p/190 + 0x81), byte(trail + offsetIf(trail < 0x3F, 0x40, 0x41))}
		})
		for p, cp := range gb18030IndexUpdates {
			index[p] = cp
		}
		return index
	})
	gb18030Ranges = sync.OnceValue(readGB18030Ranges)
)

// offsetIf returns a if cond holds and b otherwise.
func offsetIf(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// readIndex returns the n entries of an index, decoding the bytes of each
// pointer with e: a single code point other than U+FFFD is the entry.
func readIndex(e xenc.Encoding, n int, bytesOf func(p int) []byte) []rune {
	index := make([]rune, n)
	t := e.NewDecoder()
	var buf [16]byte
	for p := range index {
		t.Reset()
		nDst, _, err := t.Transform(buf[:], bytesOf(p), true)
		if err != nil {
			continue
		}
		r, size := utf8.DecodeRune(buf[:nDst])
		if size == nDst && r != utf8.RuneError {
			index[p] = r
		}
	}
	return index
}

// gb18030IndexUpdates are the entries of index gb18030 that GB18030-2022
// changed (https://encoding.spec.whatwg.org/#index-gb18030, from private use
// code points to the characters Unicode has since encoded), which the x/text
// tables predate; pointer 6555 (bytes A3 A0), which the standard maps to
// U+3000 IDEOGRAPHIC SPACE; and pointer 7533 (bytes A8 BC), U+1E3F since
// GB18030-2005, whose former private use code point U+E7C7 is the special
// case of the four-byte ranges (gb18030RangesCodePoint); and the last
// pointer, 23939 (bytes FE FE), U+E4C5, which x/text's table stops short of.
var gb18030IndexUpdates = map[int]rune{
	6555: 0x3000, 7533: 0x1E3F, 23939: 0xE4C5,
	7182: 0xFE10, 7183: 0xFE12, 7184: 0xFE11, 7185: 0xFE13, 7186: 0xFE14,
	7187: 0xFE15, 7188: 0xFE16, 7201: 0xFE17, 7202: 0xFE18, 7208: 0xFE19,
	23775: 0x9FB4, 23783: 0x9FB5, 23788: 0x9FB6, 23789: 0x9FB7, 23795: 0x9FB8,
	23812: 0x9FB9, 23829: 0x9FBA, 23845: 0x9FBB,
}

// gbRange is an entry of index gb18030 ranges
// (https://encoding.spec.whatwg.org/#index-gb18030-ranges): from pointer on,
// code points follow one another from codePoint.
type gbRange struct {
	pointer   int
	codePoint rune
}

// readGB18030Ranges reads index gb18030 ranges back from x/text's four-byte
// decoding of every pointer up to 39419: a range starts where a code point
// does not follow the previous one. The last entry, pointer 189000 for
// U+10000, covers the supplementary planes.
func readGB18030Ranges() []gbRange {
	const last = 39419
	ptrs := readIndex(simplifiedchinese.GB18030, last+1, gb18030FourBytes)
	var ranges []gbRange
	for p, cp := range ptrs {
		if p == 0 || cp != ptrs[p-1]+1 {
			ranges = append(ranges, gbRange{p, cp})
		}
	}
	return append(ranges, gbRange{189000, 0x10000})
}

// gb18030FourBytes returns the four-byte gb18030 sequence of pointer p.
func gb18030FourBytes(p int) []byte {
	return []byte{byte(p/12600 + 0x81), byte(p%12600/1260 + 0x30), byte(p%1260/10 + 0x81), byte(p%10 + 0x30)}
}

// gb18030RangesCodePoint returns the index gb18030 ranges code point for
// pointer (https://encoding.spec.whatwg.org/#index-gb18030-ranges-code-point),
// 0 for null.
func gb18030RangesCodePoint(pointer int) rune {
	// Step 1.
	if pointer > 39419 && pointer < 189000 || pointer > 1237575 {
		return 0
	}
	// Step 2.
	if pointer == 7457 {
		return 0xE7C7
	}
	// Steps 3-4: the last range starting at or before pointer.
	ranges := gb18030Ranges()
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i].pointer > pointer }) - 1
	return ranges[i].codePoint + rune(pointer-ranges[i].pointer)
}
