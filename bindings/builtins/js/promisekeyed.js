// Promise.allKeyed and Promise.allSettledKeyed, the combinators of the Await
// Dictionary proposal (https://github.com/tc39/proposal-await-dictionary),
// which goja lacks: Promise.all and Promise.allSettled over the own
// enumerable properties of an object, settling with a null-prototype object
// of the same keys, in the object's key order. The steps are those of
// PerformPromiseAll and PerformPromiseAllSettled
// (https://tc39.es/ecma262/#sec-performpromiseall) with the keys taken from
// [[OwnPropertyKeys]] and [[GetOwnProperty]] as test262's
// built-ins/Promise/allKeyed and allSettledKeyed quote them.
(function (es, intrinsics) {
	"use strict";
	const { newPromiseCapability, define } = es;
	const apply = intrinsics["Reflect.apply"];
	const ownKeys = intrinsics["Reflect.ownKeys"];
	const getOwnPropertyDescriptor = intrinsics["Reflect.getOwnPropertyDescriptor"];

	// CreateKeyedPromiseCombinatorResultObject(keys, values): a fresh object
	// with no prototype, so an assignment defines a data property.
	const resultObject = (keys, values) => {
		const obj = { __proto__: null };
		for (let i = 0; i < keys.length; i++) obj[keys[i]] = values[i];
		return obj;
	};

	// The element functions of one key: anonymous built-ins of length 1 that
	// share [[AlreadyCalled]] (arrows made here have no name, no prototype and
	// no [[Construct]]).
	const elementFunctions = (settled, index, values, remaining, finish, reject) => {
		let alreadyCalled = false;
		const settle = (make) => (x) => {
			if (alreadyCalled) return undefined;
			alreadyCalled = true;
			values[index] = make(x);
			if (--remaining.value === 0) return finish();
			return undefined;
		};
		if (!settled) return { onFulfilled: settle((x) => x), onRejected: reject };
		return {
			onFulfilled: settle((value) => ({ status: "fulfilled", value })),
			onRejected: settle((reason) => ({ status: "rejected", reason })),
		};
	};

	// PerformPromiseAllKeyed(variant, promises, constructor, resultCapability,
	// promiseResolve).
	const perform = (settled, promises, C, capability, promiseResolve) => {
		const { list } = es.iteration();
		const allKeys = ownKeys(promises);
		// Lists without a prototype, which script cannot reach into.
		const keys = list(), values = list();
		const remaining = { value: 1 };
		const finish = () => apply(capability.resolve, undefined, [resultObject(keys, values)]);
		let index = 0;
		for (let k = 0; k < allKeys.length; k++) {
			const key = allKeys[k];
			const desc = getOwnPropertyDescriptor(promises, key);
			if (desc === undefined || !desc.enumerable) continue;
			const propertyValue = promises[key];
			keys[index] = key;
			values[index] = undefined;
			const nextPromise = apply(promiseResolve, C, [propertyValue]);
			const { onFulfilled, onRejected } = elementFunctions(settled, index, values, remaining, finish, capability.reject);
			remaining.value++;
			// Invoke(nextPromise, "then", « onFulfilled, onRejected »)
			const then = nextPromise.then;
			apply(then, nextPromise, [onFulfilled, onRejected]);
			index++;
		}
		if (--remaining.value === 0) finish();
		return capability.promise;
	};

	// Promise.allKeyed(promises) and Promise.allSettledKeyed(promises).
	const combinator = (name, settled, C, promises) => {
		const capability = newPromiseCapability(C);
		let promiseResolve;
		try {
			// GetPromiseResolve(C)
			promiseResolve = C.resolve;
			if (typeof promiseResolve !== "function") throw new TypeError("Promise resolve is not a function");
		} catch (e) {
			apply(capability.reject, undefined, [e]);
			return capability.promise;
		}
		if (promises === null || (typeof promises !== "object" && typeof promises !== "function")) {
			apply(capability.reject, undefined, [new TypeError(`Promise.${name}: the argument is not an object`)]);
			return capability.promise;
		}
		try {
			return perform(settled, promises, C, capability, promiseResolve);
		} catch (e) {
			apply(capability.reject, undefined, [e]);
			return capability.promise;
		}
	};

	define(intrinsics.Promise, {
		allKeyed(promises) {
			return combinator("allKeyed", false, this, promises);
		},
		allSettledKeyed(promises) {
			return combinator("allSettledKeyed", true, this, promises);
		},
	});
})
