package builtins

import (
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja lacks the Date.prototype methods of Annex B, getYear, setYear and
// toGMTString (https://tc39.es/ecma262/#sec-date.prototype.getyear and the
// two after it). getYear and setYear are written on the intrinsics
// getFullYear, getTime, setFullYear and setTime, taken before any script
// runs; toGMTString is toUTCString itself, as the spec requires.

// legacyDate holds the intrinsics the methods use.
type legacyDate struct {
	vm                   *goja.Runtime
	date                 *goja.Object
	getFullYear, getTime goja.Callable
	setFullYear, setTime goja.Callable
}

// installLegacyDate defines the three methods on Date.prototype.
func installLegacyDate(realm *webidl.Realm) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	d := &legacyDate{
		vm:          vm,
		date:        in.Object("Date"),
		getFullYear: in.Func("Date", "prototype", "getFullYear"),
		getTime:     in.Func("Date", "prototype", "getTime"),
		setFullYear: in.Func("Date", "prototype", "setFullYear"),
		setTime:     in.Func("Date", "prototype", "setTime"),
	}
	proto := in.Object("Date", "prototype")
	for _, m := range []struct {
		name   string
		length int
		f      func(goja.FunctionCall) goja.Value
	}{{"getYear", 0, d.getYear}, {"setYear", 1, d.setYear}} {
		f := webidl.NewFunction(vm, m.name, m.length, m.f)
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	// https://tc39.es/ecma262/#sec-date.prototype.togmtstring
	return proto.DefineDataProperty("toGMTString", proto.Get("toUTCString"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// getYear is https://tc39.es/ecma262/#sec-date.prototype.getyear: the local
// year less 1900, or NaN. getFullYear takes the first four steps.
func (d *legacyDate) getYear(call goja.FunctionCall) goja.Value {
	y := d.call(d.getFullYear, call.This).ToFloat()
	return d.vm.ToValue(y - 1900)
}

// setYear is https://tc39.es/ecma262/#sec-date.prototype.setyear.
func (d *legacyDate) setYear(call goja.FunctionCall) goja.Value {
	// 1-3. The date value, or a TypeError if this is not a Date.
	t := d.call(d.getTime, call.This)
	// 4. ToNumber(year), after the date value is read.
	y := call.Argument(0).ToNumber().ToFloat()
	// 6. MakeFullYear (https://tc39.es/ecma262/#sec-makefullyear).
	if n := math.Trunc(y); n >= 0 && n <= 99 {
		y = 1900 + n
	}
	// 5, 7-9. setFullYear on a copy of the date value takes the same steps:
	// LocalTime of the value, or +0 for NaN, the new year with its month,
	// day and time within the day, then UTC and TimeClip.
	c, err := d.vm.New(d.date, t)
	if err != nil {
		panic(err)
	}
	u := d.call(d.setFullYear, c, d.vm.ToValue(y))
	// 10-11.
	return d.call(d.setTime, call.This, u)
}

// call calls f with this and args, throwing what it throws.
func (d *legacyDate) call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}
