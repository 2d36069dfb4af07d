package builtins

import "github.com/wsjs/wsjs/webidl"

// goja checks for an interrupt (a run's deadline, Close) only between script
// instructions: a built-in that loops in Go without calling script runs on
// past any deadline. The built-ins this package replaces for that reason
// count their steps on the realm's poller (webidl.Poller).

// poller is the realm's webidl.Poller.
type poller = webidl.Poller

// interruptible replaces the built-ins that loop in Go without bound with
// ones that see the runtime's interrupt.
func interruptible(realm *webidl.Realm, poll *poller) error {
	a := newArrayLike(realm, poll)
	if err := interruptibleSearches(realm, a); err != nil {
		return err
	}
	if err := interruptibleArrays(realm, a); err != nil {
		return err
	}
	return interruptibleIterators(realm, poll)
}
