package streams

import (
	"github.com/dop251/goja"
)

// promise is a promise created by this package with the functions that settle it (Web
// IDL "a new promise", https://webidl.spec.whatwg.org/#a-new-promise). Settling an
// already settled promise does nothing.
type promise struct {
	obj *goja.Object
	p   *goja.Promise
	res func(any) error
	rej func(any) error
}

// newPromise creates a new pending promise (Web IDL "a new promise").
func (b *binding) newPromise() *promise {
	p, res, rej := b.vm.NewPromise()
	return &promise{obj: b.vm.ToValue(p).(*goja.Object), p: p, res: res, rej: rej}
}

// resolvedPromise is Web IDL "a promise resolved with" v, as a promise of this package
// (a new promise resolved with v: for a thenable v it follows v).
func (b *binding) resolvedPromise(v goja.Value) *promise {
	p := b.newPromise()
	p.resolve(v)
	return p
}

// rejectedPromise is Web IDL "a promise rejected with" e.
func (b *binding) rejectedPromise(e goja.Value) *promise {
	p := b.newPromise()
	p.reject(e)
	return p
}

func (p *promise) resolve(v goja.Value) { rethrow(p.res(orUndefined(v))) }
func (p *promise) reject(e goja.Value)  { rethrow(p.rej(orUndefined(e))) }

// pending reports whether [[PromiseState]] is "pending".
func (p *promise) pending() bool { return p.p.State() == goja.PromiseStatePending }

// markHandled sets [[PromiseIsHandled]] to true: a rejection of the promise is not
// reported as unhandled.
func (b *binding) markHandled(p *goja.Object) {
	_, err := b.handledFn(goja.Undefined(), p)
	rethrow(err)
}

// toPromise is "a promise resolved with" v where any promise will do: a promise of
// %Promise% is returned as it is (PromiseResolve).
func (b *binding) toPromise(v goja.Value) *goja.Object {
	return b.r.ToPromise(v)
}

// react is Web IDL "react to" p: it adds the steps onFulfilled and onRejected (either
// may be nil, in which case the value or reason passes through) and returns the
// promise their results settle. Steps that throw reject that promise.
func (b *binding) react(p *goja.Object, onFulfilled, onRejected func(goja.Value) goja.Value) *goja.Object {
	f, r := goja.Undefined(), goja.Undefined()
	if onFulfilled != nil {
		f = b.vm.ToValue(func(c goja.FunctionCall) goja.Value { return orUndefined(onFulfilled(c.Argument(0))) })
	}
	if onRejected != nil {
		r = b.vm.ToValue(func(c goja.FunctionCall) goja.Value { return orUndefined(onRejected(c.Argument(0))) })
	}
	v, err := b.reactFn(goja.Undefined(), p, f, r)
	rethrow(err)
	return v.(*goja.Object)
}

// upon runs "upon fulfillment" and "upon rejection" of p: onFulfilled or onRejected
// (nil: nothing) runs with the value or reason. Nothing is returned and p is marked
// as handled, as the standard's uses of these steps need.
func (b *binding) upon(p *goja.Object, onFulfilled, onRejected func(goja.Value)) {
	b.react(p, func(v goja.Value) goja.Value {
		if onFulfilled != nil {
			onFulfilled(v)
		}
		return nil
	}, func(e goja.Value) goja.Value {
		if onRejected != nil {
			onRejected(e)
		}
		return nil
	})
}

// waitForAll is Web IDL "get a promise to wait for all" promises: it fulfills once
// all fulfill and rejects with the first rejection.
func (b *binding) waitForAll(ps []*goja.Object) *goja.Object {
	result := b.newPromise()
	if len(ps) == 0 {
		result.resolve(goja.Undefined())
		return result.obj
	}
	remaining := len(ps)
	rejected := false
	for _, p := range ps {
		b.upon(p, func(goja.Value) {
			remaining--
			if remaining == 0 && !rejected {
				result.resolve(goja.Undefined())
			}
		}, func(e goja.Value) {
			if !rejected {
				rejected = true
				result.reject(e)
			}
		})
	}
	return result.obj
}
