package performance

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

func newRealm(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	return jstest.NewRealm(t, Binding)
}

func run(t *testing.T, vm *goja.Runtime, src string) goja.Value {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}

func TestNowMeasuresFromTimeOrigin(t *testing.T) {
	vm, r := newRealm(t)
	const ago = 1500*time.Millisecond + 250*time.Microsecond
	before := time.Now()
	r.SetTimeOrigin(before.Add(-ago))
	now := run(t, vm, `performance.now()`).ToFloat()
	elapsed := time.Since(before)
	// Both the time origin and the current time are coarsened down to a
	// multiple of 5µs since the epoch, so their difference may exceed the
	// time elapsed by up to 5µs.
	lo := float64(ago) / float64(time.Millisecond)
	hi := float64(ago+elapsed+5*time.Microsecond) / float64(time.Millisecond)
	if now < lo-0.005 || now > hi {
		t.Errorf("performance.now() = %v, want within [%v, %v]", now, lo, hi)
	}
	// Coarsened to 5 microseconds, yet finer than a millisecond.
	us := now * 1000
	if r := math.Mod(us, 5); math.Min(r, 5-r) > 1e-6 {
		t.Errorf("performance.now() = %v is not a multiple of 5µs", now)
	}
}

func TestNowIsMonotonic(t *testing.T) {
	vm, _ := newRealm(t)
	v := run(t, vm, `
		let prev = performance.now(), ok = prev >= 0, changed = false
		for (let i = 0; i < 1e6 && !changed; i++) {
			const t = performance.now()
			ok = ok && t >= prev
			changed = t > prev
			prev = t
		}
		ok && changed`)
	if !v.ToBoolean() {
		t.Error("performance.now() went backwards or never advanced")
	}
}

// TestTimeOrigin checks that timeOrigin is the realm's time origin
// coarsened to the realm's resolution: 5 microseconds where it is
// cross-origin isolated, 100 where it is not.
func TestTimeOrigin(t *testing.T) {
	origin := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	tests := []struct {
		isolated bool
		want     string
	}{
		{true, "1714979289123.455"},
		{false, "1714979289123.4"},
	}
	for _, tt := range tests {
		vm, r := newRealm(t)
		r.SetCrossOriginIsolated(tt.isolated)
		r.SetTimeOrigin(origin)
		if got := run(t, vm, `String(performance.timeOrigin)`).String(); got != tt.want {
			t.Errorf("isolated %v: timeOrigin = %s, want %s", tt.isolated, got, tt.want)
		}
		js := run(t, vm, `JSON.stringify(performance)`).String()
		if want := `{"timeOrigin":` + tt.want + `}`; js != want {
			t.Errorf("isolated %v: JSON.stringify(performance) = %s, want %s", tt.isolated, js, want)
		}
	}
}

// TestNowIsCoarsened checks that performance.now() is a multiple of the
// realm's resolution however far below it the time origin is.
func TestNowIsCoarsened(t *testing.T) {
	for _, isolated := range []bool{true, false} {
		vm, r := newRealm(t)
		r.SetCrossOriginIsolated(isolated)
		r.SetTimeOrigin(time.Now().Add(-time.Second).Add(-1234567 * time.Nanosecond))
		res := 100
		if isolated {
			res = 5
		}
		v := run(t, vm, `(res => {
			for (let i = 0; i < 1000; i++) {
				const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
				if (us % res !== 0) return false;
			}
			return true;
		})(`+strconv.Itoa(res)+`)`)
		if !v.ToBoolean() {
			t.Errorf("isolated %v: timeOrigin + now() is not a multiple of %d microseconds", isolated, res)
		}
	}
}

func TestInterface(t *testing.T) {
	vm, _ := newRealm(t)
	for _, check := range []string{
		`performance instanceof Performance`,
		`Object.prototype.toString.call(performance) === '[object Performance]'`,
		`(() => { try { new Performance() } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Performance() } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Performance.prototype.now.call({}) } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Performance.prototype.toJSON.call({}) } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { return Object.getOwnPropertyDescriptor(Performance.prototype, 'timeOrigin').get.call(1) } catch (e) { return e instanceof TypeError } })()`,
		`Object.keys(Performance.prototype).join() === 'timeOrigin,now,toJSON'`,
		`Performance.prototype.now.length === 0 && Performance.prototype.toJSON.name === 'toJSON'`,
		`Object.keys(performance.toJSON()).join() === 'timeOrigin' && Object.getPrototypeOf(performance.toJSON()) === Object.prototype`,
		`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, 'performance'); return d.enumerable && d.configurable && d.get.name === 'get performance' && d.set.name === 'set performance' })()`,
		`Object.getOwnPropertyDescriptor(globalThis, 'performance').get.call(undefined) === performance`,
		`(() => { try { Object.getOwnPropertyDescriptor(globalThis, 'performance').get.call({}) } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(globalThis, 'performance').set.call(globalThis) } catch (e) { return e instanceof TypeError } })()`,
		`performance === performance`,
		`performance instanceof EventTarget && Object.getPrototypeOf(Performance.prototype) === EventTarget.prototype`,
		`Object.getPrototypeOf(Performance) === EventTarget`,
		`(() => { let fired = 0; performance.addEventListener('x', () => fired++); performance.dispatchEvent(new Event('x')); return fired === 1 })()`,
	} {
		if v := run(t, vm, check); !v.ToBoolean() {
			t.Errorf("%s is false", check)
		}
	}
	// [Replaceable]: assignment shadows the accessor.
	if v := run(t, vm, `performance = 5; performance === 5 && Object.getOwnPropertyDescriptor(globalThis, 'performance').writable`); !v.ToBoolean() {
		t.Error("performance is not [Replaceable]")
	}
}

func TestNeedsEventTarget(t *testing.T) {
	if err := Register(bindings.NewEnv(webidl.NewRealm(goja.New()), nil)); err == nil {
		t.Error("Register without EventTarget succeeded")
	}
}
