// Package idlepoll lets a socket's reading goroutine end while nothing
// arrives, and starts a new one when the socket becomes readable, so that a
// program holding thousands of idle connections holds no goroutine (and no
// stack) for each.
//
// On Linux one goroutine per process waits, in epoll_wait, for every socket
// handed over with Waiter.Park. Go's own poller keeps watching the same
// descriptors; the interest registered here is separate, one-shot and
// level-triggered, so bytes that arrived before Park are not missed. Elsewhere
// Park declines every socket and the caller keeps waiting as before.
//
// Only the socket's descriptor is watched: a stream that buffers what it has
// read (TLS) must not be handed over while it holds unread bytes.
package idlepoll
