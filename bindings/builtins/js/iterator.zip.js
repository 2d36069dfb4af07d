// Iterator.concat (https://tc39.es/proposal-iterator-sequencing/) and Iterator.zip and
// zipKeyed (https://tc39.es/proposal-joint-iteration/), which goja lacks. Their results
// are iterator helpers that iterator.js makes. As there, their steps are made the first
// time one is called.
(function (es, intrinsics, made) {
	"use strict";
	const { Iterator, lazy } = made;
	const apply = intrinsics["Reflect.apply"], ownKeys = intrinsics["Reflect.ownKeys"];
	const getOwnPropertyDescriptor = intrinsics["Reflect.getOwnPropertyDescriptor"];
	const symIterator = intrinsics["Symbol.iterator"];
	let steps;
	const stepsOf = () => steps ??= make();
	// make returns the steps of the methods.
	function make() {
		const { isObject } = es;
		const {
			describe, DONE, getMethod, iteratorStep, iteratorStepValue, iteratorCloseAll, iteratorFromMethod, getIterator,
			iteratorFlattenable, list, toArray, createDataProperty,
		} = es.iteration();
		const { helper, RETURN } = lazy();

		// The closure of Iterator.concat: each iterable's iterator in turn, its
		// results' values yielded, closed if the helper returns (see iterator.js).
		function* concatClosure(iterables) {
			for (let i = 0; i < iterables.length; i += 2) {
				const record = iteratorFromMethod(iterables[i + 1], iterables[i]);
				for (;;) {
					const value = iteratorStepValue(record);
					if (value === DONE) break;
					if ((yield value) === RETURN) return iteratorCloseAll([record]);
				}
			}
		}

		// Closes the iterators of records and throws e, which IfAbruptCloseIterators
		// (https://tc39.es/proposal-joint-iteration/#sec-ifabruptcloseiterators) does.
		const closeAllThrow = (records, e) => iteratorCloseAll(records, e);
		// Removes record from the List records.
		const remove = (records, record) => {
			let i = 0;
			while (records[i] !== record) i++;
			for (; i < records.length - 1; i++) records[i] = records[i + 1];
			records.length--;
		};
		// GetOptionsObject, then the mode and padding options of Iterator.zip and
		// zipKeyed (their steps 2 to 7).
		const zipOptions = (options) => {
			if (options === undefined) return { mode: "shortest", padding: undefined };
			if (!isObject(options)) throw new TypeError(`Options ${describe(options)} are not an object`);
			let mode = options.mode;
			if (mode === undefined) mode = "shortest";
			if (mode !== "shortest" && mode !== "longest" && mode !== "strict") {
				throw new TypeError(`mode must be "shortest", "longest" or "strict", not ${describe(mode)}`);
			}
			let padding;
			if (mode === "longest") {
				padding = options.padding;
				if (padding !== undefined && !isObject(padding)) throw new TypeError(`padding ${describe(padding)} is not an object`);
			}
			return { mode, padding };
		};

		// IteratorZip (https://tc39.es/proposal-joint-iteration/#sec-iteratorzip): a
		// helper whose [[UnderlyingIterators]] are openIters.
		const iteratorZip = (iters, mode, padding, finish) => {
			const openIters = list();
			for (let i = 0; i < iters.length; i++) openIters[i] = iters[i];
			return helper(zipClosure(iters, openIters, mode, padding, finish), openIters);
		};
		function* zipClosure(iters, openIters, mode, padding, finish) {
			const count = iters.length;
			if (count === 0) return;
			for (;;) {
				const results = list();
				for (let i = 0; i < count; i++) {
					const iter = iters[i];
					let result;
					if (iter === null) {
						result = padding[i];
					} else {
						try {
							result = iteratorStepValue(iter);
						} catch (e) {
							remove(openIters, iter);
							closeAllThrow(openIters, e);
						}
						if (result === DONE) {
							remove(openIters, iter);
							if (mode === "shortest") return iteratorCloseAll(openIters);
							if (mode === "strict") {
								if (i !== 0) closeAllThrow(openIters, new TypeError("Iterator.zip: an iterator ended before the first in strict mode"));
								for (let k = 1; k < count; k++) {
									let open;
									try {
										open = iteratorStep(iters[k]);
									} catch (e) {
										remove(openIters, iters[k]);
										closeAllThrow(openIters, e);
									}
									if (open !== DONE) closeAllThrow(openIters, new TypeError("Iterator.zip: iterators of different lengths in strict mode"));
									remove(openIters, iters[k]);
								}
								return;
							}
							if (openIters.length === 0) return;
							iters[i] = null;
							result = padding[i];
						}
					}
					results[i] = result;
				}
				if ((yield finish(results)) === RETURN) return iteratorCloseAll(openIters);
			}
		}

		const statics = {
			// https://tc39.es/proposal-iterator-sequencing/#sec-iterator.concat
			concat(...items) {
				// Pairs of [[OpenMethod]] and [[Iterable]].
				const iterables = list();
				for (let i = 0; i < items.length; i++) {
					const item = items[i];
					if (!isObject(item)) throw new TypeError(`${describe(item)} is not an object`);
					const method = getMethod(item, symIterator);
					if (method === undefined) throw new TypeError(`${describe(item)} is not iterable`);
					iterables[i * 2] = method;
					iterables[i * 2 + 1] = item;
				}
				return helper(concatClosure(iterables), list());
			},
			// https://tc39.es/proposal-joint-iteration/#sec-iterator.zip
			zip(iterables) {
				if (!isObject(iterables)) throw new TypeError(`${describe(iterables)} is not an object`);
				const { mode, padding: paddingOption } = zipOptions(arguments[1]);
				const iters = list(), padding = list();
				const inputIter = getIterator(iterables);
				for (;;) {
					let next;
					try {
						next = iteratorStepValue(inputIter);
					} catch (e) {
						closeAllThrow(iters, e);
					}
					if (next === DONE) break;
					let iter;
					try {
						iter = iteratorFlattenable(next, false);
					} catch (e) {
						const all = list();
						all[0] = inputIter;
						for (let j = 0; j < iters.length; j++) all[j + 1] = iters[j];
						closeAllThrow(all, e);
					}
					iters[iters.length] = iter;
				}
				const count = iters.length;
				if (mode === "longest") {
					if (paddingOption === undefined) {
						for (let i = 0; i < count; i++) padding[i] = undefined;
					} else {
						let paddingIter;
						try {
							paddingIter = getIterator(paddingOption);
						} catch (e) {
							closeAllThrow(iters, e);
						}
						let usingIterator = true;
						for (let i = 0; i < count; i++) {
							if (usingIterator) {
								let next;
								try {
									next = iteratorStepValue(paddingIter);
								} catch (e) {
									closeAllThrow(iters, e);
								}
								if (next === DONE) usingIterator = false;
								else padding[i] = next;
							}
							if (!usingIterator) padding[i] = undefined;
						}
						if (usingIterator) {
							try {
								iteratorCloseAll([paddingIter]);
							} catch (e) {
								closeAllThrow(iters, e);
							}
						}
					}
				}
				return iteratorZip(iters, mode, padding, toArray);
			},
			// https://tc39.es/proposal-joint-iteration/#sec-iterator.zipkeyed
			zipKeyed(iterables) {
				if (!isObject(iterables)) throw new TypeError(`${describe(iterables)} is not an object`);
				const { mode, padding: paddingOption } = zipOptions(arguments[1]);
				const iters = list(), padding = list(), keys = list();
				const allKeys = ownKeys(iterables);
				for (let i = 0; i < allKeys.length; i++) {
					const key = allKeys[i];
					try {
						const desc = getOwnPropertyDescriptor(iterables, key);
						if (desc === undefined || !desc.enumerable) continue;
						const value = iterables[key];
						if (value === undefined) continue;
						keys[keys.length] = key;
						iters[iters.length] = iteratorFlattenable(value, false);
					} catch (e) {
						closeAllThrow(iters, e);
					}
				}
				const count = iters.length;
				if (mode === "longest") {
					for (let i = 0; i < count; i++) {
						if (paddingOption === undefined) {
							padding[i] = undefined;
							continue;
						}
						try {
							padding[i] = paddingOption[keys[i]];
						} catch (e) {
							closeAllThrow(iters, e);
						}
					}
				}
				const finish = (results) => {
					const obj = { __proto__: null };
					for (let i = 0; i < count; i++) createDataProperty(obj, keys[i], results[i]);
					return obj;
				};
				return iteratorZip(iters, mode, padding, finish);
			},
		};
		return statics;
	}
	es.define(Iterator, {
		concat() {
			return apply(stepsOf().concat, undefined, arguments);
		},
		zip(iterables) {
			return apply(stepsOf().zip, undefined, arguments);
		},
		zipKeyed(iterables) {
			return apply(stepsOf().zipKeyed, undefined, arguments);
		},
	});
})
