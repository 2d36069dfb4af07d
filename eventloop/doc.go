// Package eventloop runs a goja runtime the way the HTML Standard's event loop runs a
// window or worker (https://html.spec.whatwg.org/multipage/webappapis.html#event-loops):
// tasks queued from any goroutine run one at a time on the loop's goroutine, each followed
// by a microtask checkpoint, timers queue tasks when they are due
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers), and the
// loop stays alive while anything can still queue work: a task, a timer, or a hold taken by
// the host for pending I/O such as an open socket.
//
// The package knows nothing about any particular web API. Bindings queue tasks with
// [Loop.Queue], keep the loop alive with [Loop.Hold] and hand exceptions thrown by script
// callbacks to [Loop.ReportException]. A goroutine that receives input in bursts can
// [Loop.Post] a task per item and [Loop.Flush] once: while the loop waits for work, the
// tasks then run on that goroutine, exactly as the loop would run them, with no
// hand-off to the loop's goroutine.
package eventloop
