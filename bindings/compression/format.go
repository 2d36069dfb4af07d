package compression

// format is a CompressionFormat
// (https://compression.spec.whatwg.org/#enumdef-compressionformat).
type format int

const (
	formatDeflate format = iota
	formatDeflateRaw
	formatGzip
)

// formatNames are the enumeration's values, in the order of the constants above.
var formatNames = []string{"deflate", "deflate-raw", "gzip"}

func (f format) String() string { return formatNames[f] }

// formatNamed returns the format of one of formatNames.
func formatNamed(name string) format {
	f := format(0)
	for f.String() != name {
		f++
	}
	return f
}

// pieceSize is the most bytes of output a coder gives at once: the size of the
// largest Uint8Array chunk of a stream's readable side.
const pieceSize = 64 << 10

// A coder is a stream's format and compression context
// (https://compression.spec.whatwg.org/#compression-context): it takes input
// and gives the output piece by piece.
type coder interface {
	// write adds p to the input. The coder keeps p until it has used it: the
	// caller must not change it.
	write(p []byte) error
	// finish marks the end of the input (the standard's "finish flag").
	finish()
	// next returns the next piece of output, at most pieceSize bytes in a new
	// slice, or nil when there is no more output until more input comes (after
	// finish: no more output at all). An error is final: the data is not valid
	// in the format.
	next() ([]byte, error)
}
