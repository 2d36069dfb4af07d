package eventloop

import (
	"context"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	l, _ := newLoop(t, Options{})
	if s := l.Stats(); s != (Stats{}) {
		t.Fatalf("new loop: %+v", s)
	}
	// Timers are counted from creation until cleared or, for setTimeout,
	// run; the script spins (20 ms by Date.now, whole milliseconds) so that Busy has something to count, and stops
	// the run, which the timers would keep alive.
	if err := l.VM().Set("stop", l.Stop); err != nil {
		t.Fatal(err)
	}
	err := runScript(t, l, `
		const keep = setInterval(() => {}, 60000);
		setTimeout(() => {}, 60000);
		const cleared = setTimeout(() => {}, 0);
		clearTimeout(cleared);
		setTimeout(() => { clearInterval(keep); }, 60000);
		const end = Date.now() + 20;
		while (Date.now() < end) {}
		setTimeout(() => stop(), 0); // counted no more once it has run
	`)
	if err != nil {
		t.Fatal(err)
	}
	s := l.Stats()
	if s.Timers != 3 || s.Tasks != 0 || s.Holds != 0 || s.Busy < 15*time.Millisecond {
		t.Errorf("after the script: %+v", s)
	}
	release := l.Hold()
	l.Queue(func() {})
	l.Queue(func() {})
	if s := l.Stats(); s.Tasks != 2 || s.Holds != 1 {
		t.Errorf("with two tasks queued and a hold: %+v", s)
	}
	release()
	if s := l.Stats(); s.Holds != 0 {
		t.Errorf("hold released: %+v", s)
	}
}

// TestStatsBusyCountsTheBatchRunning checks that a task's time counts once
// it has answered its caller, while the batch it is in still runs: a
// runtime's Call answers from inside its task, and its caller reads the
// runtime's ScriptTime next.
func TestStatsBusyCountsTheBatchRunning(t *testing.T) {
	l, _ := newLoop(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	answered, blocked := make(chan struct{}), make(chan struct{})
	// Both tasks are queued before the loop runs: one batch.
	l.Queue(func() {
		for start := time.Now(); time.Since(start) < 20*time.Millisecond; {
		}
		close(answered)
	})
	l.Queue(func() { <-blocked })
	ran := make(chan error, 1)
	go func() { ran <- l.Run(ctx) }()
	<-answered
	busy := l.Stats().Busy
	close(blocked)
	if busy < 20*time.Millisecond {
		t.Errorf("Busy %v once a task of 20 ms answered, want at least that", busy)
	}
	cancel()
	<-ran
}
