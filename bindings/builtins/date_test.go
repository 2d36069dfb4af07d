package builtins

import "testing"

// TestLegacyDate checks Date.prototype.getYear, setYear and toGMTString.
func TestLegacyDate(t *testing.T) {
	cases := []struct{ src, want string }{
		{`new Date(2000, 0, 1).getYear()`, "100"},
		{`new Date(1899, 11, 31).getYear()`, "-1"},
		{`new Date(NaN).getYear()`, "NaN"},
		{`try { Date.prototype.getYear.call({}) } catch (e) { e.name }`, "TypeError"},
		{`const d = new Date(2000, 5, 15, 10, 20); d.setYear(99); [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()].join()`, "1999,5,15,10,20"},
		{`const d = new Date(2000, 0, 1); d.setYear(2020) === d.getTime() && d.getFullYear()`, "2020"},
		{`const d = new Date(2000, 0, 1); d.setYear(-0.5); d.getFullYear()`, "1900"},
		{`const d = new Date(2000, 0, 1); d.setYear(100); d.getFullYear()`, "100"},
		{`const d = new Date(2000, 0, 1); [d.setYear(NaN), d.getTime()].join()`, "NaN,NaN"},
		// A date value of NaN is taken as +0 local time.
		{`const d = new Date(NaN); d.setYear(1); [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()].join()`, "1901,0,1,0"},
		{`const d = new Date(8.64e15); d.setYear(275761); d.getTime()`, "NaN"},
		// The date value is read before the year is converted.
		{`const d = new Date(2000, 5, 15); d.setYear({ valueOf() { d.setTime(NaN); return 1 } }); [d.getFullYear(), d.getMonth()].join()`, "1901,5"},
		{`try { Date.prototype.setYear.call({}, { valueOf() { throw 1 } }) } catch (e) { e.name }`, "TypeError"},
		{`Date.prototype.toGMTString === Date.prototype.toUTCString`, "true"},
		{`const p = Date.prototype; [p.getYear.name, p.getYear.length, p.setYear.name, p.setYear.length, Object.keys(p).length].join()`, "getYear,0,setYear,1,0"},
		{`try { new Date.prototype.setYear(1) } catch (e) { e.name }`, "TypeError"},
	}
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
