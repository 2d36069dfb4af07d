package encoding

// endOfQueue is the end-of-queue item of an I/O queue
// (https://encoding.spec.whatwg.org/#concept-stream-end-of-queue) among the
// byte items a handler is given.
const endOfQueue = -1

// A status is what a handler returns for an item, as the "process an item"
// algorithm (https://encoding.spec.whatwg.org/#concept-encoding-process)
// distinguishes them: the code points a handler produces it appends itself.
type status int

const (
	statusContinue status = iota // continue, or code points were appended
	statusError                  // error
	statusFinished               // finished
)

// A handler is the handler of one of the standard's stateful decoders
// (https://encoding.spec.whatwg.org/#concept-encoding-run): handle processes
// item b (a byte, or endOfQueue), appending what it produces to dst, and may
// prepend items to the queue through q.
type handler interface {
	handle(dst []byte, b int, q *ioQueue) ([]byte, status)
	reset()
}

// ioQueue holds the items a handler restored or prepended
// (https://encoding.spec.whatwg.org/#concept-stream-prepend): they are read
// before the rest of the input. No decoder prepends more than three.
type ioQueue struct {
	items [4]int
	n     int // items[n-1] is read next
}

// prepend puts items at the front of the queue, in their order.
func (q *ioQueue) prepend(items ...int) {
	for i := len(items) - 1; i >= 0; i-- {
		q.items[q.n] = items[i]
		q.n++
	}
}

// handlerDecoder runs a handler over the bytes it is given
// ("run", https://encoding.spec.whatwg.org/#concept-encoding-run), keeping
// prepended items between calls as the I/O queue of a streaming decode
// does.
type handlerDecoder struct {
	h handler
	q ioQueue
}

func (d *handlerDecoder) reset() {
	d.h.reset()
	d.q.n = 0
}

func (d *handlerDecoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	i := 0
	for {
		var b int
		switch {
		case d.q.n > 0:
			d.q.n--
			b = d.q.items[d.q.n]
		case i < len(src):
			b = int(src[i])
			i++
		case flush:
			b = endOfQueue
		default:
			return dst, true
		}
		var st status
		dst, st = d.h.handle(dst, b, &d.q)
		switch st {
		case statusFinished:
			return dst, true
		case statusError:
			if fatal {
				return dst, false
			}
			dst = append(dst, replacementChar...)
		}
	}
}

// isASCII reports whether item b is an ASCII byte.
func isASCII(b int) bool { return b >= 0 && b < 0x80 }

// inRange reports whether item b is a byte from lo to hi inclusive.
func inRange(b, lo, hi int) bool { return b >= lo && b <= hi }
