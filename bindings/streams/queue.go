package streams

import (
	"math"

	"github.com/dop251/goja"
)

// valueWithSize is a value-with-size
// (https://streams.spec.whatwg.org/#value-with-size). A nil value is the close sentinel
// of writable streams (https://streams.spec.whatwg.org/#close-sentinel): chunks are
// never nil goja.Values.
type valueWithSize struct {
	value goja.Value
	size  float64
}

// sizedQueue is a queue-with-sizes: the [[queue]] and [[queueTotalSize]] internal slots
// (https://streams.spec.whatwg.org/#queue-with-sizes). Its backing array is reused as
// values come and go.
type sizedQueue struct {
	items []valueWithSize
	head  int
	total float64
}

func (q *sizedQueue) empty() bool { return q.head == len(q.items) }
func (q *sizedQueue) len() int    { return len(q.items) - q.head }

// dequeue is DequeueValue (https://streams.spec.whatwg.org/#dequeue-value).
func (q *sizedQueue) dequeue() goja.Value {
	// Steps 3-4: take the first value-with-size.
	v := q.items[q.head]
	q.items[q.head] = valueWithSize{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	// Steps 5-6: the total never goes below 0 through rounding.
	q.total -= v.size
	if q.total < 0 {
		q.total = 0
	}
	return v.value
}

// enqueue is EnqueueValueWithSize
// (https://streams.spec.whatwg.org/#enqueue-value-with-size). It returns false (the
// caller throws a RangeError) when size is not a finite non-negative number.
func (q *sizedQueue) enqueue(v goja.Value, size float64) bool {
	// Steps 2-3.
	if !isNonNegativeNumber(size) || math.IsInf(size, 1) {
		return false
	}
	// Steps 4-5.
	if q.head > 0 && len(q.items) == cap(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, valueWithSize{value: v, size: size})
	q.total += size
	return true
}

// peek is PeekQueueValue (https://streams.spec.whatwg.org/#peek-queue-value).
func (q *sizedQueue) peek() goja.Value { return q.items[q.head].value }

// reset is ResetQueue (https://streams.spec.whatwg.org/#reset-queue).
func (q *sizedQueue) reset() {
	clear(q.items)
	q.items, q.head, q.total = q.items[:0], 0, 0
}
