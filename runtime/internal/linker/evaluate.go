package linker

import (
	"sort"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A capability is a PromiseCapability Record.
type capability struct {
	promise         *goja.Promise
	resolve, reject func(any) error
}

func (l *Linker) newCapability() *capability {
	p, resolve, reject := l.vm.NewPromise()
	return &capability{p, resolve, reject}
}

// evaluate is Evaluate (https://tc39.es/ecma262/#sec-moduleevaluation), or
// for a module that is not source text, that of Synthetic Module Records
// (https://tc39.es/proposal-json-modules/#sec-smr-Evaluate).
func (l *Linker) evaluate(r *record) *goja.Promise {
	if !r.cyclic() {
		c := l.newCapability()
		if err := l.evaluateSynthetic(r); err != nil {
			_ = c.reject(err.Value())
		} else {
			_ = c.resolve(goja.Undefined())
		}
		return c.promise
	}
	if (r.status == evaluatingAsync || r.status == evaluated) && r.cycleRoot != nil {
		r = r.cycleRoot
	}
	if r.topLevel != nil {
		return r.topLevel.promise
	}
	var stack []*record
	c := l.newCapability()
	r.topLevel = c
	if _, err := l.innerEvaluate(r, &stack, 0); err != nil {
		for _, m := range stack {
			m.status = evaluated
			m.evalErr = err
		}
		_ = c.reject(err.Value())
		return c.promise
	}
	if r.status == evaluated {
		_ = c.resolve(goja.Undefined())
	}
	return c.promise
}

// innerEvaluate is InnerModuleEvaluation
// (https://tc39.es/ecma262/#sec-innermoduleevaluation).
func (l *Linker) innerEvaluate(r *record, stack *[]*record, index int) (int, *goja.Exception) {
	if !r.cyclic() {
		return index, l.evaluateSynthetic(r)
	}
	if r.status == evaluatingAsync || r.status == evaluated {
		return index, r.evalErr
	}
	if r.status == evaluating {
		return index, nil
	}
	r.status = evaluating
	r.dfsIndex, r.dfsAncestor = index, index
	r.pendingAsyncDeps = 0
	index++
	*stack = append(*stack, r)
	index, err := l.evaluateDeps(r, stack, index)
	if err != nil {
		return index, err
	}
	if r.pendingAsyncDeps > 0 || r.m.Async {
		l.asyncCount++
		r.asyncOrder = l.asyncCount
		if r.pendingAsyncDeps == 0 {
			l.executeAsync(r)
		}
	} else if err := l.execute(r); err != nil {
		return index, err
	} else {
		l.freeze(r, true)
	}
	if r.dfsAncestor == r.dfsIndex {
		for done := false; !done; {
			m := (*stack)[len(*stack)-1]
			*stack = (*stack)[:len(*stack)-1]
			m.status = evaluated
			if m.asyncOrder != 0 {
				m.status = evaluatingAsync
			}
			done = m == r
			m.cycleRoot = r
		}
	}
	return index, nil
}

// evaluateDeps is the loop over the modules r requests of
// InnerModuleEvaluation.
func (l *Linker) evaluateDeps(r *record, stack *[]*record, index int) (int, *goja.Exception) {
	for _, req := range r.deps {
		var err *goja.Exception
		if index, err = l.innerEvaluate(req, stack, index); err != nil {
			return index, err
		}
		if !req.cyclic() {
			continue
		}
		if req.status == evaluating {
			r.dfsAncestor = min(r.dfsAncestor, req.dfsAncestor)
		} else {
			if req.cycleRoot != nil {
				req = req.cycleRoot
			}
			if req.evalErr != nil {
				return index, req.evalErr
			}
		}
		if req.asyncOrder > 0 {
			r.pendingAsyncDeps++
			req.asyncParents = append(req.asyncParents, r)
		}
	}
	return index, nil
}

// execute is ExecuteModule without a capability
// (https://tc39.es/ecma262/#sec-source-text-module-record-execute-module):
// the generator's next step runs the whole module.
func (l *Linker) execute(r *record) *goja.Exception {
	_, err := l.in.next(r.gen)
	if err != nil {
		return asException(l, err)
	}
	return nil
}

// executeAsync is ExecuteAsyncModule
// (https://tc39.es/ecma262/#sec-execute-async-module).
func (l *Linker) executeAsync(r *record) {
	c := l.newCapability()
	onFulfilled := l.vm.ToValue(func(goja.FunctionCall) goja.Value {
		l.asyncFulfilled(r)
		return goja.Undefined()
	})
	onRejected := l.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		l.asyncRejected(r, call.Argument(0))
		return goja.Undefined()
	})
	_, _ = l.in.then(l.vm.ToValue(c.promise), onFulfilled, onRejected)
	l.run(r, c)
}

// run is ExecuteModule with a capability: AsyncBlockStart
// (https://tc39.es/ecma262/#sec-asyncblockstart) of the module's code, each
// of whose awaits is a yield of its generator, resumed as Await
// (https://tc39.es/ecma262/#await) resumes.
func (l *Linker) run(r *record, c *capability) {
	var step func(resume goja.Callable, v goja.Value)
	onFulfilled := l.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		step(l.in.next, call.Argument(0))
		return goja.Undefined()
	})
	onRejected := l.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		step(l.in.throw, call.Argument(0))
		return goja.Undefined()
	})
	step = func(resume goja.Callable, v goja.Value) {
		res, err := resume(r.gen, v)
		if err != nil {
			_ = c.reject(asException(l, err).Value())
			return
		}
		o := res.ToObject(l.vm)
		if o.Get("done").ToBoolean() {
			_ = c.resolve(goja.Undefined())
			return
		}
		p, err := l.promiseResolve(o.Get("value"))
		if err != nil {
			step(l.in.throw, asException(l, err).Value())
			return
		}
		_, _ = l.in.then(p, onFulfilled, onRejected)
	}
	step(l.in.next, goja.Undefined())
}

// promiseResolve is PromiseResolve(%Promise%, v)
// (https://tc39.es/ecma262/#sec-promise-resolve).
func (l *Linker) promiseResolve(v goja.Value) (goja.Value, error) {
	if o, ok := v.(*goja.Object); ok {
		if _, isPromise := o.Export().(*goja.Promise); isPromise {
			var ctor goja.Value
			if ex := l.vm.Try(func() { ctor = o.Get("constructor") }); ex != nil {
				return nil, ex
			}
			if ctor.SameAs(l.in.promise) {
				return v, nil
			}
		}
	}
	p, resolve, _ := l.vm.NewPromise()
	_ = resolve(v)
	return l.vm.ToValue(p), nil
}

// gatherAvailableAncestors is GatherAvailableAncestors
// (https://tc39.es/ecma262/#sec-gather-available-ancestors).
func gatherAvailableAncestors(r *record, execList *[]*record) {
	for _, m := range r.asyncParents {
		if contains(*execList, m) || m.cycleRoot.evalErr != nil {
			continue
		}
		m.pendingAsyncDeps--
		if m.pendingAsyncDeps == 0 {
			*execList = append(*execList, m)
			if !m.m.Async {
				gatherAvailableAncestors(m, execList)
			}
		}
	}
}

func contains(list []*record, r *record) bool {
	for _, m := range list {
		if m == r {
			return true
		}
	}
	return false
}

// asyncFulfilled is AsyncModuleExecutionFulfilled
// (https://tc39.es/ecma262/#sec-async-module-execution-fulfilled).
func (l *Linker) asyncFulfilled(r *record) {
	if r.status == evaluated {
		return
	}
	r.asyncOrder = -1
	r.status = evaluated
	l.freeze(r, true)
	if r.topLevel != nil {
		_ = r.topLevel.resolve(goja.Undefined())
	}
	var execList []*record
	gatherAvailableAncestors(r, &execList)
	sort.SliceStable(execList, func(i, j int) bool { return execList[i].asyncOrder < execList[j].asyncOrder })
	for _, m := range execList {
		switch {
		case m.status == evaluated:
		case m.m.Async:
			l.executeAsync(m)
		default:
			if err := l.execute(m); err != nil {
				l.asyncRejected(m, err.Value())
				continue
			}
			m.asyncOrder = -1
			m.status = evaluated
			l.freeze(m, true)
			if m.topLevel != nil {
				_ = m.topLevel.resolve(goja.Undefined())
			}
		}
	}
}

// asyncRejected is AsyncModuleExecutionRejected
// (https://tc39.es/ecma262/#sec-async-module-execution-rejected).
func (l *Linker) asyncRejected(r *record, reason goja.Value) {
	if r.status == evaluated {
		return
	}
	r.evalErr = l.exception(reason)
	r.status = evaluated
	r.asyncOrder = -1
	// 9. The module's own capability is rejected before its parents' (10),
	// so that promises settle from leaf to root.
	if r.topLevel != nil {
		_ = r.topLevel.reject(reason)
	}
	for _, m := range r.asyncParents {
		l.asyncRejected(m, reason)
	}
}

// evaluateSynthetic evaluates a module that is not source text, once:
// its default export is made.
func (l *Linker) evaluateSynthetic(r *record) *goja.Exception {
	if r.syntheticDone {
		return r.evalErr
	}
	r.syntheticDone = true
	switch r.m.Kind {
	case loader.HostModule:
		v, err := l.host.HostModule(r.m.Data)
		if err != nil {
			r.evalErr = l.exception(l.vm.NewTypeError(err.Error()))
			return r.evalErr
		}
		r.value = v
	case loader.JSONModule:
		v, err := l.in.jsonParse(goja.Undefined(), l.vm.ToValue(r.m.Data))
		if err != nil {
			r.evalErr = asException(l, err)
			return r.evalErr
		}
		r.value = v
	case loader.TextModule:
		r.value = l.vm.ToValue(r.m.Data)
	case loader.BytesModule:
		buf := l.vm.NewArrayBuffer([]byte(r.m.Data))
		u8, err := l.vm.New(l.in.uint8Array, l.vm.ToValue(buf))
		if err != nil {
			r.evalErr = asException(l, err)
			return r.evalErr
		}
		r.value = u8
	}
	return nil
}

// asException returns err, an error of a call into script, as an
// exception.
func asException(l *Linker, err error) *goja.Exception {
	if ex, ok := err.(*goja.Exception); ok {
		return ex
	}
	return l.exception(l.vm.NewGoError(err))
}
