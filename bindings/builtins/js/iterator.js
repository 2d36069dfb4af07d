// Iterator helpers (https://tc39.es/ecma262/#sec-iterator-objects), which goja lacks:
// the Iterator constructor, Iterator.from with %WrapForValidIteratorPrototype%, and the
// methods of %Iterator.prototype% with %IteratorHelperPrototype%. An iterator helper
// runs a generator of this script, which stands for the spec's abstract closure. It
// returns what iterator.zip.js needs to make helpers too.
//
// What script sees of them before it calls one (the constructor and the methods) is
// made when the realm is; the methods call their steps, in js/iterator.steps.js, which
// load compiles and evaluates the first time one is called (lazy()), so a realm that
// uses none of them does not pay for it, nor a process for compiling them.
(function (es, load) {
	"use strict";
	const { isObject, define } = es;
	const { apply, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf } = Reflect;
	const ObjectPrototype = Object.prototype;
	const toStringTag = Symbol.toStringTag;
	const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
	// %Iterator.prototype% (https://tc39.es/ecma262/#sec-%iteratorprototype%-object).
	const IteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));

	// Iterator() (https://tc39.es/ecma262/#sec-iterator-constructor). A function's
	// [[Construct]] has made this with new.target's prototype, or %Object.prototype%
	// where that is no object, where the spec falls back to %Iterator.prototype%.
	const Iterator = function Iterator() {
		if (new.target === undefined || new.target === Iterator) {
			throw new TypeError("Abstract class Iterator not directly constructable");
		}
		if (getPrototypeOf(this) === ObjectPrototype && !isObject(new.target.prototype)) {
			setPrototypeOf(this, IteratorPrototype);
		}
	};
	defineProperty(Iterator, "prototype", { value: IteratorPrototype, writable: false });

	// What the steps take, as the realm has it now.
	const intrinsics = {
		apply, defineProperty, getOwnPropertyDescriptor, setPrototypeOf, toStringTag, ordinaryHasInstance,
		IteratorPrototype, Iterator,
	};
	let made;
	const lazy = () => made ??= load(intrinsics);

	// The methods script sees, which call their steps with the arguments given.
	define(IteratorPrototype, {
		map(mapper) {
			return apply(lazy().methods.map, this, arguments);
		},
		filter(predicate) {
			return apply(lazy().methods.filter, this, arguments);
		},
		take(limit) {
			return apply(lazy().methods.take, this, arguments);
		},
		drop(limit) {
			return apply(lazy().methods.drop, this, arguments);
		},
		flatMap(mapper) {
			return apply(lazy().methods.flatMap, this, arguments);
		},
		reduce(reducer) {
			return apply(lazy().methods.reduce, this, arguments);
		},
		toArray() {
			return apply(lazy().methods.toArray, this, arguments);
		},
		forEach(fn) {
			return apply(lazy().methods.forEach, this, arguments);
		},
		some(predicate) {
			return apply(lazy().methods.some, this, arguments);
		},
		every(predicate) {
			return apply(lazy().methods.every, this, arguments);
		},
		find(predicate) {
			return apply(lazy().methods.find, this, arguments);
		},
	});
	const accessors = {
		// https://tc39.es/ecma262/#sec-get-iterator.prototype-%symbol.tostringtag%
		get [toStringTag]() {
			return "Iterator";
		},
		// https://tc39.es/ecma262/#sec-set-iterator.prototype-%symbol.tostringtag%
		set [toStringTag](v) {
			lazy().setIgnoringPrototype(this, toStringTag, v);
		},
		// https://tc39.es/ecma262/#sec-get-iterator.prototype.constructor
		get constructor() {
			return Iterator;
		},
		// https://tc39.es/ecma262/#sec-set-iterator.prototype.constructor
		set constructor(v) {
			lazy().setIgnoringPrototype(this, "constructor", v);
		},
	};
	const tag = getOwnPropertyDescriptor(accessors, toStringTag);
	tag.enumerable = false;
	defineProperty(IteratorPrototype, toStringTag, tag);
	const constructor = getOwnPropertyDescriptor(accessors, "constructor");
	constructor.enumerable = false;
	defineProperty(IteratorPrototype, "constructor", constructor);
	define(Iterator, {
		from(o) {
			return lazy().methods.from(o);
		},
	});
	defineProperty(globalThis, "Iterator", { value: Iterator, writable: true, configurable: true });
	return { Iterator, lazy };
})
