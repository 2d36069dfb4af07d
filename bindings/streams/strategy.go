package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// strategyInit holds the QueuingStrategyInit dictionary
// (https://streams.spec.whatwg.org/#qs-api).
type strategyInit struct{ hwm float64 }

var strategyInitDict = &webidl.Dictionary[strategyInit]{
	Name: "QueuingStrategyInit",
	Members: []webidl.DictionaryMember[strategyInit]{
		{Name: "highWaterMark", Required: true, Convert: func(r *webidl.Realm, v goja.Value, out *strategyInit) {
			out.hwm = r.ToUnrestrictedDouble(v)
		}},
	},
}

// strategy holds the [[highWaterMark]] internal slot of ByteLengthQueuingStrategy
// (https://streams.spec.whatwg.org/#blqs-class) and CountQueuingStrategy
// (https://streams.spec.whatwg.org/#cqs-class).
type strategy struct{ hwm float64 }

// strategyInterface describes ByteLengthQueuingStrategy
// (https://streams.spec.whatwg.org/#blqs-class) or CountQueuingStrategy
// (https://streams.spec.whatwg.org/#cqs-class): they differ only by the realm's size
// function their size getter returns.
func (b *binding) strategyInterface(name string, size *goja.Object) *webidl.Interface {
	return &webidl.Interface{
		Name:   name,
		Length: 1,
		// The constructor steps: [[highWaterMark]] is init["highWaterMark"].
		Constructor: func(c webidl.Call) any {
			var init strategyInit
			webidl.ToDictionary(b.r, c.Arg(0), strategyInitDict, &init)
			return &strategy{hwm: init.hwm}
		},
		Attributes: []webidl.Attribute{
			{Name: "highWaterMark", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(c.Impl.(*strategy).hwm) }},
			{Name: "size", Get: func(webidl.Call) goja.Value { return size }},
		},
	}
}
