// The steps of the iterator helpers (https://tc39.es/ecma262/#sec-iterator-objects) that
// js/iterator.js defines, with %WrapForValidIteratorPrototype% and
// %IteratorHelperPrototype%, and what they share. iterator.js evaluates this script the
// first time one is called and gives it what it takes, as the realm had it when it
// started. It returns the steps, and what iterator.zip.js needs to make helpers too.
(function (es, intrinsics) {
	"use strict";
	const { isObject } = es;
	const { apply, defineProperty, getOwnPropertyDescriptor, setPrototypeOf } = intrinsics;
	const { toStringTag, ordinaryHasInstance, IteratorPrototype, Iterator } = intrinsics;
	const {
		describe, DONE, getMethod, iteratorDirect, iteratorStep, iteratorStepValue, iteratorClose, iteratorCloseThrow,
		iteratorCloseAll, iteratorFlattenable, list, toArray, createDataProperty,
	} = es.iteration();
	const { toInteger } = es;
	// SetterThatIgnoresPrototypeProperties
	// (https://tc39.es/ecma262/#sec-SetterThatIgnoresPrototypeProperties).
	const setIgnoringPrototype = (o, p, v) => {
		if (!isObject(o)) throw new TypeError("Iterator.prototype setter called on a non-object");
		if (o === IteratorPrototype) throw new TypeError(`Cannot assign to read only property '${String(p)}' of Iterator.prototype`);
		if (getOwnPropertyDescriptor(o, p) === undefined) {
			createDataProperty(o, p, v);
		} else {
			o[p] = v;
		}
	};

	// An iterator helper's closure runs in a generator of this script. A yield
	// that does not resume, because the helper's return was called, is a return
	// completion: the generator is resumed with RETURN, for which the closure
	// closes what it iterates and returns. (goja's generators do not let a
	// function called from a finally block that their return runs catch what it
	// throws.) Helpers have no throw, and their next resumes with undefined.
	const RETURN = { __proto__: null };
	const START = 0, RUNNING = 1, SUSPENDED = 2;
	// The internal slots of an iterator helper: the generator that runs its
	// closure, its [[GeneratorState]] as far as the generator does not keep it
	// (whether it has started, and whether it runs), and its
	// [[UnderlyingIterators]].
	const Helper = class {
		#gen;
		#state = START;
		#underlying;
		constructor(gen, underlying) {
			this.#gen = gen;
			this.#underlying = underlying;
		}
		// https://tc39.es/ecma262/#sec-%iteratorhelperprototype%.next
		next() {
			return this.#resume(undefined);
		}
		// https://tc39.es/ecma262/#sec-%iteratorhelperprototype%.return
		return() {
			if (this.#state === START) {
				this.#state = SUSPENDED;
				this.#gen.return();
				iteratorCloseAll(this.#underlying);
				return { value: undefined, done: true };
			}
			return this.#resume(RETURN);
		}
		// GeneratorResume (https://tc39.es/ecma262/#sec-generatorresume),
		// GeneratorValidate's TypeError included.
		#resume(value) {
			const gen = this.#gen;
			if (this.#state === RUNNING) throw new TypeError("Iterator helper is already running");
			this.#state = RUNNING;
			try {
				return gen.next(value);
			} finally {
				this.#state = SUSPENDED;
			}
		}
	};
	const HelperPrototype = Helper.prototype;
	delete HelperPrototype.constructor;
	setPrototypeOf(HelperPrototype, IteratorPrototype);
	defineProperty(HelperPrototype, toStringTag, { value: "Iterator Helper", configurable: true });
	const helper = (gen, underlying) => new Helper(gen, underlying);

	// %WrapForValidIteratorPrototype% (https://tc39.es/ecma262/#sec-%wrapforvaliditeratorprototype%-object),
	// whose objects' [[Iterated]] is an Iterator Record.
	const Wrap = class {
		#iterated;
		constructor(iterated) {
			this.#iterated = iterated;
		}
		// https://tc39.es/ecma262/#sec-%wrapforvaliditeratorprototype%.next
		next() {
			const r = this.#iterated;
			return apply(r.next, r.iterator, []);
		}
		// https://tc39.es/ecma262/#sec-%wrapforvaliditeratorprototype%.return
		return() {
			const iterator = this.#iterated.iterator;
			const f = getMethod(iterator, "return");
			if (f === undefined) return { value: undefined, done: true };
			return apply(f, iterator, []);
		}
	};
	delete Wrap.prototype.constructor;
	setPrototypeOf(Wrap.prototype, IteratorPrototype);

	// The first steps of the methods: this must be an object, and an argument
	// that fails validation closes it.
	const thisObject = (o, method) => {
		if (!isObject(o)) throw new TypeError(`Iterator.prototype.${method} called on a non-object`);
		return o;
	};
	const requireCallable = (o, f, method) => {
		if (typeof f !== "function") {
			iteratorCloseThrow(o, new TypeError(`Iterator.prototype.${method}: ${describe(f)} is not a function`));
		}
	};
	// The limit of take and drop: ToNumber, then a RangeError for NaN, a
	// finite number above 2 ** 53 - 1 or one below 0, each closing the
	// iterator if it throws.
	const toLimit = (o, limit, method) => {
		let n;
		try {
			n = +limit;
		} catch (e) {
			iteratorCloseThrow(o, e);
		}
		if (n !== n) iteratorCloseThrow(o, new RangeError(`Iterator.prototype.${method}: limit is NaN`));
		if (n > 9007199254740991 && n !== Infinity) iteratorCloseThrow(o, new RangeError(`Iterator.prototype.${method}: limit ${n} is too large`));
		n = toInteger(n);
		if (n < 0) iteratorCloseThrow(o, new RangeError(`Iterator.prototype.${method}: limit ${n} is negative`));
		return n;
	};
	// Calls f with args, closing iterated if it throws
	// (IfAbruptCloseIterator, https://tc39.es/ecma262/#sec-ifabruptcloseiterator).
	const callClosing = (iterated, f, args) => {
		try {
			return apply(f, undefined, args);
		} catch (e) {
			iteratorCloseThrow(iterated.iterator, e);
		}
	};

	// The closures of the helpers.
	function* mapClosure(iterated, mapper) {
		for (let counter = 0; ; counter++) {
			const value = iteratorStepValue(iterated);
			if (value === DONE) return;
			const mapped = callClosing(iterated, mapper, [value, counter]);
			if ((yield mapped) === RETURN) return iteratorClose(iterated.iterator);
		}
	}
	function* filterClosure(iterated, predicate) {
		for (let counter = 0; ; counter++) {
			const value = iteratorStepValue(iterated);
			if (value === DONE) return;
			if (!callClosing(iterated, predicate, [value, counter])) continue;
			if ((yield value) === RETURN) return iteratorClose(iterated.iterator);
		}
	}
	function* takeClosure(iterated, remaining) {
		for (;;) {
			if (remaining === 0) return iteratorClose(iterated.iterator);
			if (remaining !== Infinity) remaining--;
			const value = iteratorStepValue(iterated);
			if (value === DONE) return;
			if ((yield value) === RETURN) return iteratorClose(iterated.iterator);
		}
	}
	function* dropClosure(iterated, remaining) {
		for (; remaining > 0; ) {
			if (remaining !== Infinity) remaining--;
			if (iteratorStep(iterated) === DONE) return;
		}
		for (;;) {
			const value = iteratorStepValue(iterated);
			if (value === DONE) return;
			if ((yield value) === RETURN) return iteratorClose(iterated.iterator);
		}
	}
	function* flatMapClosure(iterated, mapper) {
		for (let counter = 0; ; counter++) {
			const value = iteratorStepValue(iterated);
			if (value === DONE) return;
			const mapped = callClosing(iterated, mapper, [value, counter]);
			let inner;
			try {
				inner = iteratorFlattenable(mapped, false);
			} catch (e) {
				iteratorCloseThrow(iterated.iterator, e);
			}
			for (;;) {
				let innerValue;
				try {
					innerValue = iteratorStepValue(inner);
				} catch (e) {
					iteratorCloseThrow(iterated.iterator, e);
				}
				if (innerValue === DONE) break;
				if ((yield innerValue) === RETURN) {
					try {
						iteratorClose(inner.iterator);
					} catch (e) {
						iteratorCloseThrow(iterated.iterator, e);
					}
					return iteratorClose(iterated.iterator);
				}
			}
		}
	}

	const methods = {
		// https://tc39.es/ecma262/#sec-iterator.from
		from(o) {
			const iterated = iteratorFlattenable(o, true);
			if (apply(ordinaryHasInstance, Iterator, [iterated.iterator])) return iterated.iterator;
			return new Wrap(iterated);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.map
		map(mapper) {
			const o = thisObject(this, "map");
			requireCallable(o, mapper, "map");
			const iterated = iteratorDirect(o);
			return helper(mapClosure(iterated, mapper), [iterated]);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.filter
		filter(predicate) {
			const o = thisObject(this, "filter");
			requireCallable(o, predicate, "filter");
			const iterated = iteratorDirect(o);
			return helper(filterClosure(iterated, predicate), [iterated]);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.take
		take(limit) {
			const o = thisObject(this, "take");
			const n = toLimit(o, limit, "take");
			const iterated = iteratorDirect(o);
			return helper(takeClosure(iterated, n), [iterated]);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.drop
		drop(limit) {
			const o = thisObject(this, "drop");
			const n = toLimit(o, limit, "drop");
			const iterated = iteratorDirect(o);
			return helper(dropClosure(iterated, n), [iterated]);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.flatmap
		flatMap(mapper) {
			const o = thisObject(this, "flatMap");
			requireCallable(o, mapper, "flatMap");
			const iterated = iteratorDirect(o);
			return helper(flatMapClosure(iterated, mapper), [iterated]);
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.reduce
		reduce(reducer) {
			const o = thisObject(this, "reduce");
			requireCallable(o, reducer, "reduce");
			const iterated = iteratorDirect(o);
			let accumulator, counter;
			if (arguments.length < 2) {
				accumulator = iteratorStepValue(iterated);
				if (accumulator === DONE) throw new TypeError("Reduce of empty iterator with no initial value");
				counter = 1;
			} else {
				accumulator = arguments[1];
				counter = 0;
			}
			for (; ; counter++) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return accumulator;
				accumulator = callClosing(iterated, reducer, [accumulator, value, counter]);
			}
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.toarray
		toArray() {
			const iterated = iteratorDirect(thisObject(this, "toArray"));
			const items = list();
			for (;;) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return toArray(items);
				items[items.length] = value;
			}
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.foreach
		forEach(fn) {
			const o = thisObject(this, "forEach");
			requireCallable(o, fn, "forEach");
			const iterated = iteratorDirect(o);
			for (let counter = 0; ; counter++) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return undefined;
				callClosing(iterated, fn, [value, counter]);
			}
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.some
		some(predicate) {
			const o = thisObject(this, "some");
			requireCallable(o, predicate, "some");
			const iterated = iteratorDirect(o);
			for (let counter = 0; ; counter++) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return false;
				if (callClosing(iterated, predicate, [value, counter])) {
					iteratorClose(o);
					return true;
				}
			}
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.every
		every(predicate) {
			const o = thisObject(this, "every");
			requireCallable(o, predicate, "every");
			const iterated = iteratorDirect(o);
			for (let counter = 0; ; counter++) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return true;
				if (!callClosing(iterated, predicate, [value, counter])) {
					iteratorClose(o);
					return false;
				}
			}
		},
		// https://tc39.es/ecma262/#sec-iterator.prototype.find
		find(predicate) {
			const o = thisObject(this, "find");
			requireCallable(o, predicate, "find");
			const iterated = iteratorDirect(o);
			for (let counter = 0; ; counter++) {
				const value = iteratorStepValue(iterated);
				if (value === DONE) return undefined;
				if (callClosing(iterated, predicate, [value, counter])) {
					iteratorClose(o);
					return value;
				}
			}
		},
	};
	return { methods, setIgnoringPrototype, helper, RETURN };
})
