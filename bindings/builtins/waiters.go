package builtins

import (
	"math"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// waiterLists are the WaiterList Records of all shared memory
// (https://tc39.es/ecma262/#sec-waiterlist-objects), by the address of the
// element waited on; mu is their critical section.
var waiterLists = struct {
	mu    sync.Mutex
	lists map[uintptr][]*waiter
}{lists: map[uintptr][]*waiter{}}

// A waiter is a Waiter Record: notify calls wake, under the critical section.
type waiter struct {
	wake func()
}

// remove takes w out of the list of addr, and reports whether it was there;
// the caller holds the critical section.
func removeWaiter(addr uintptr, w *waiter) bool {
	list := waiterLists.lists[addr]
	for i, x := range list {
		if x == w {
			list = append(list[:i:i], list[i+1:]...)
			if len(list) == 0 {
				delete(waiterLists.lists, addr)
			} else {
				waiterLists.lists[addr] = list
			}
			return true
		}
	}
	return false
}

// pollInterval is how often a blocked Atomics.wait looks for an interrupt
// of its runtime (a deadline, or the runtime closing).
const pollInterval = 10 * time.Millisecond

// wait is DoWait (https://tc39.es/ecma262/#sec-dowait) from step 9:
// wait(typedArray, index, v, timeout, async), with the arguments validated and
// converted.
func (a *atomics) wait(c goja.FunctionCall) goja.Value {
	vm := a.realm.VM()
	ta, async := c.Argument(0), c.Argument(4).ToBoolean()
	t := a.validate(ta, true)
	// 9. If mode is sync and AgentCanSuspend() is false, throw a TypeError.
	if !async && !a.canBlock {
		a.realm.ThrowTypeError("Atomics.wait cannot be called in this context")
	}
	addr := a.bytes(ta, t, c.Argument(1).ToInteger())
	v := toRaw(c.Argument(2))
	timeout := c.Argument(3).ToFloat()
	mask := uint64(math.MaxUint64)
	if elemSizes[t] == 4 {
		mask = math.MaxUint32
	}
	key := uintptr(addr)
	w := &waiter{}
	// 16-18. Compare the element with v in the critical section.
	waiterLists.mu.Lock()
	if load(addr, elemSizes[t]) != v&mask {
		waiterLists.mu.Unlock()
		return a.result(async, "not-equal", nil)
	}
	if timeout == 0 && async {
		waiterLists.mu.Unlock()
		return a.result(async, "timed-out", nil)
	}
	if async {
		return a.waitAsync(key, w, timeout)
	}
	done := make(chan struct{})
	w.wake = func() { close(done) }
	waiterLists.lists[key] = append(waiterLists.lists[key], w)
	waiterLists.mu.Unlock()
	return vm.ToValue(a.block(key, w, done, timeout))
}

// block suspends the agent until w is notified or timeout milliseconds pass
// (https://tc39.es/ecma262/#sec-suspendthisagent), or the runtime is
// interrupted, which it then passes on.
func (a *atomics) block(key uintptr, w *waiter, done chan struct{}, timeout float64) string {
	var expired <-chan time.Time
	if timeout < float64(math.MaxInt64/int64(time.Millisecond)) {
		timer := time.NewTimer(time.Duration(timeout * float64(time.Millisecond)))
		defer timer.Stop()
		expired = timer.C
	}
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return "ok"
		case <-expired:
			waiterLists.mu.Lock()
			removed := removeWaiter(key, w)
			waiterLists.mu.Unlock()
			if removed {
				return "timed-out"
			}
			<-done
			return "ok"
		case <-ticker.C:
			if err := a.interrupted(); err != nil {
				waiterLists.mu.Lock()
				removeWaiter(key, w)
				waiterLists.mu.Unlock()
				panic(err)
			}
		}
	}
}

// interrupted returns the runtime's interrupt if it has one, which calling a
// function that does nothing raises.
func (a *atomics) interrupted() error {
	err := a.realm.Poller().Interrupted()
	if _, ok := err.(*goja.InterruptedError); ok {
		return err
	}
	return nil
}

// waitAsync adds an asynchronous waiter to the list of key, which the caller
// has locked, and returns the result of DoWait in async mode with its
// promise. The promise settles on the realm's event loop; without one, only
// a notify from this realm settles it.
func (a *atomics) waitAsync(key uintptr, w *waiter, timeout float64) goja.Value {
	vm := a.realm.VM()
	promise, resolve, _ := vm.NewPromise()
	var once sync.Once
	settle := func(result string) {
		once.Do(func() {
			if a.queue == nil {
				_ = resolve(result)
				return
			}
			a.queue(func() { _ = resolve(result) })
		})
	}
	w.wake = func() { settle("ok") }
	waiterLists.lists[key] = append(waiterLists.lists[key], w)
	waiterLists.mu.Unlock()
	if timeout < float64(math.MaxInt64/int64(time.Millisecond)) && a.queue != nil {
		time.AfterFunc(time.Duration(timeout*float64(time.Millisecond)), func() {
			waiterLists.mu.Lock()
			removed := removeWaiter(key, w)
			waiterLists.mu.Unlock()
			if removed {
				settle("timed-out")
			}
		})
	}
	return a.result(true, "", promise)
}

// result returns what Atomics.wait or waitAsync returns: the string result,
// or for waitAsync a record of whether it waits and the value or promise
// (https://tc39.es/ecma262/#sec-dowait steps 19-32).
func (a *atomics) result(async bool, s string, promise *goja.Promise) goja.Value {
	vm := a.realm.VM()
	if !async {
		return vm.ToValue(s)
	}
	o := vm.NewObject()
	_ = o.Set("async", promise != nil)
	if promise != nil {
		_ = o.Set("value", promise)
	} else {
		_ = o.Set("value", s)
	}
	return o
}

// notify is Atomics.notify (https://tc39.es/ecma262/#sec-atomics.notify) from
// step 4: notify(typedArray, index, count), validated and converted. It wakes
// up to count waiters of the element, first come first woken, and returns
// how many; a typed array over memory that is not shared has none.
func (a *atomics) notify(c goja.FunctionCall) goja.Value {
	ta := c.Argument(0)
	if !isShared(a.views.array(ta).buffer) {
		return a.realm.VM().ToValue(0) // step 6, before any revalidation
	}
	t := a.validate(ta, true)
	addr := a.bytes(ta, t, c.Argument(1).ToInteger())
	count := c.Argument(2).ToFloat()
	key := uintptr(addr)
	n := 0
	waiterLists.mu.Lock()
	for float64(n) < count && len(waiterLists.lists[key]) > 0 {
		w := waiterLists.lists[key][0]
		removeWaiter(key, w)
		w.wake()
		n++
	}
	waiterLists.mu.Unlock()
	return a.realm.VM().ToValue(n)
}
