package bindings

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestBudgetReserve(t *testing.T) {
	cases := []struct {
		name    string
		limit   int64
		reserve []int64
		want    []bool
		used    int64
	}{
		{"within", 100, []int64{40, 60}, []bool{true, true}, 100},
		{"beyond", 100, []int64{40, 61, 60}, []bool{true, false, true}, 100},
		{"one beyond the limit", 100, []int64{101}, []bool{false}, 0},
		{"no bound of its own", 0, []int64{1 << 20, 1 << 21}, []bool{true, true}, 1<<20 + 1<<21},
		// The process's bound still holds (where the system tells it).
		{"beyond the process's", 0, []int64{1 << 62}, []bool{ProcessMemory() == 0}, map[bool]int64{true: 1 << 62}[ProcessMemory() == 0]},
		{"nothing", 10, []int64{0, -5}, []bool{true, true}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := NewBudget(c.limit)
			for i, n := range c.reserve {
				if got := b.Reserve(n); got != c.want[i] {
					t.Errorf("Reserve(%d) = %v, want %v", n, got, c.want[i])
				}
			}
			if b.Used() != c.used {
				t.Errorf("Used() = %d, want %d", b.Used(), c.used)
			}
		})
	}
}

func TestBudgetNil(t *testing.T) {
	var b *Budget
	if !b.Reserve(1<<40) || !b.Fits(1<<40) || b.Used() != 0 {
		t.Error("a nil Budget bounds something")
	}
	b.Release(10)
	if !Charge(b, new([64]byte), 64) {
		t.Error("Charge to a nil Budget failed")
	}
}

func TestBudgetConcurrent(t *testing.T) {
	b := NewBudget(1000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if b.Reserve(3) {
					mu.Lock()
					taken++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if taken != 333 || b.Used() != 999 {
		t.Errorf("took %d reservations, %d bytes; want 333, 999", taken, b.Used())
	}
}

// waitUsed waits, collecting garbage, until b's use is want; it fails t
// after a few seconds.
func waitUsed(t *testing.T, b *Budget, want int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.Used() != want {
		if time.Now().After(deadline) {
			t.Fatalf("Used() = %d, want %d", b.Used(), want)
		}
		runtime.GC()
		runtime.Gosched()
	}
}

func TestCharge(t *testing.T) {
	b := NewBudget(1 << 20)
	keep := make([]byte, 1<<19)
	if !Charge(b, &keep[0], int64(len(keep))) {
		t.Fatal("Charge within the budget failed")
	}
	if Charge(b, new([1 << 20]byte), 1<<20) {
		t.Fatal("Charge beyond the budget succeeded")
	}
	func() {
		drop := make([]byte, 1<<18)
		if !Charge(b, &drop[0], int64(len(drop))) {
			t.Fatal("Charge within the budget failed")
		}
	}()
	if !Charge(b, new([8]byte), 8) || b.Used() != 1<<19+1<<18 {
		t.Errorf("Used() = %d after a tiny charge", b.Used())
	}
	waitUsed(t, b, 1<<19)
	runtime.KeepAlive(keep)
}

func TestCopyAndAttach(t *testing.T) {
	cases := []struct {
		name string
		n    int // bytes copied
		ok   bool
		used int64 // while the copy is held
	}{
		{"within", 1 << 19, true, 1<<19 + 1<<18},
		{"beyond", 1<<19 + 1, false, 1 << 18},
		{"tiny", 15, true, 1 << 18},
		{"empty", 0, true, 1 << 18},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := NewBudget(3 << 18)
			held := make([]byte, 1<<18)
			if !b.Reserve(int64(len(held))) {
				t.Fatal("Reserve failed")
			}
			Attach(b, &held[0], int64(len(held)))
			src := make([]byte, c.n)
			for i := range src {
				src[i] = byte(i)
			}
			out, ok := Copy(b, src)
			if ok != c.ok {
				t.Fatalf("Copy ok = %v, want %v", ok, c.ok)
			}
			if ok && (len(out) != c.n || c.n > 0 && out[c.n-1] != src[c.n-1]) {
				t.Errorf("Copy gave %d bytes", len(out))
			}
			if b.Used() != c.used {
				t.Errorf("Used() = %d, want %d", b.Used(), c.used)
			}
			runtime.KeepAlive(out)
			out = nil
			waitUsed(t, b, 1<<18)
			runtime.KeepAlive(held)
		})
	}
}

func TestAttachNil(t *testing.T) {
	Attach(nil, new([64]byte), 64)
	b := NewBudget(100)
	b.Reserve(10)
	Attach(b, new([10]byte), 10) // under 16 bytes: released at once
	Attach(b, new([64]byte), 0)
	if b.Used() != 0 {
		t.Errorf("Used() = %d", b.Used())
	}
	if out, ok := Copy[string](nil, "abc"); !ok || string(out) != "abc" {
		t.Errorf("Copy to a nil Budget = %q, %v", out, ok)
	}
}
