package structuredclone

import (
	"runtime"
	"sync/atomic"

	"github.com/wsjs/wsjs/bindings"
)

// A Queue holds serialized messages waiting to be delivered, first in first
// out: a port message queue, or the messages a worker has not been given yet.
// Its owner guards it with its own lock. A message taken from it is the
// taker's to deserialize or discard, which gives back what it is charged to
// the memory budget; the charges of the messages a Queue still holds are
// given back when it is garbage collected, with its owner, or when Take
// hands them over. The zero value is an empty queue.
type Queue struct {
	msgs []*Serialized
	head int // msgs[head:] are waiting
	// held is what the waiting messages are charged, for the cleanup that
	// gives it back; nil until a charged message is added.
	held *heldBytes
}

// heldBytes is what the messages of a Queue are charged to budget.
type heldBytes struct {
	budget *bindings.Budget
	n      atomic.Int64
}

func (h *heldBytes) release() { h.budget.Release(h.n.Swap(0)) }

// Push adds m at the end of q.
func (q *Queue) Push(m *Serialized) {
	if m.budget != nil {
		if q.held == nil {
			q.held = &heldBytes{budget: m.budget}
			runtime.AddCleanup(q, (*heldBytes).release, q.held)
		}
		// Every message of a runtime and its workers is charged to their
		// one budget; one from elsewhere is not followed after a collection.
		if m.budget == q.held.budget {
			q.held.n.Add(m.size)
		}
	}
	q.msgs = append(q.msgs, m)
}

// Len returns how many messages wait in q.
func (q *Queue) Len() int { return len(q.msgs) - q.head }

// Pop takes the first message out of q, or returns nil if q is empty.
func (q *Queue) Pop() *Serialized {
	if q.head == len(q.msgs) {
		return nil
	}
	m := q.msgs[q.head]
	q.msgs[q.head] = nil
	q.head++
	q.unhold(m)
	switch {
	case q.head == len(q.msgs):
		q.msgs, q.head = q.msgs[:0], 0
	case q.head >= 64 && q.head*2 >= len(q.msgs):
		// Under a steady flow the queue may never run empty: drop the
		// delivered half so that the array does not grow without end.
		n := copy(q.msgs, q.msgs[q.head:])
		clear(q.msgs[n:])
		q.msgs, q.head = q.msgs[:n], 0
	}
	return m
}

// Take empties q, returning the messages it held, in order, for the caller
// to deliver or discard (without the lock that guards q, since discarding a
// message may post to other queues).
func (q *Queue) Take() []*Serialized {
	ms := q.msgs[q.head:]
	for _, m := range ms {
		q.unhold(m)
	}
	q.msgs, q.head = nil, 0
	return ms
}

// unhold stops counting m, which leaves q.
func (q *Queue) unhold(m *Serialized) {
	if q.held != nil && m.budget == q.held.budget {
		q.held.n.Add(-m.size)
	}
}
