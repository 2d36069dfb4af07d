package bindings

import (
	"runtime"
	"testing"
)

func TestBudgetsDrawOnTheProcess(t *testing.T) {
	p := processBudget()
	before := p.Used()
	a, b := NewBudget(1<<20), NewBudget(0)
	if !a.Reserve(1000) || !b.Reserve(500) {
		t.Fatal("reservations within the limits failed")
	}
	if got := p.Used() - before; got != 1500 {
		t.Errorf("the process holds %d more bytes, want 1500", got)
	}
	if a.Reserve(1 << 20) {
		t.Error("a reservation beyond a's limit succeeded")
	}
	if got := p.Used() - before; got != 1500 {
		t.Errorf("a refused reservation left %d bytes with the process, want 1500", got-1500)
	}
	a.Release(1000)
	b.Release(500)
	if got := p.Used() - before; got != 0 {
		t.Errorf("after release the process holds %d more bytes", got)
	}
	if limit := p.limit; limit > 0 && a.Fits(limit+1) {
		t.Error("Fits ignores the process's bound")
	}
}

func TestProcessMemory(t *testing.T) {
	m := ProcessMemory()
	if runtime.GOOS == "linux" && m <= 0 {
		t.Fatalf("ProcessMemory() = %d on Linux, which has /proc/meminfo", m)
	}
	if want := m / 2; processBudget().limit != want {
		t.Errorf("process budget %d, want half of %d", processBudget().limit, m)
	}
	for _, c := range []struct {
		in   []int64
		want int64
	}{{nil, 0}, {[]int64{0, -1}, 0}, {[]int64{5, 0, 3, 9}, 3}, {[]int64{0, 7}, 7}} {
		if got := smallestPositive(c.in...); got != c.want {
			t.Errorf("smallestPositive(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}
