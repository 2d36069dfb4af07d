// Promise.try (https://tc39.es/ecma262/#sec-promise.try), which goja lacks.
(function (es) {
	"use strict";
	const { isObject, define } = es;
	const { apply } = Reflect;
	define(Promise, {
		try(callbackfn) {
			const C = this;
			if (!isObject(C)) throw new TypeError("Promise.try called on a non-object");
			// NewPromiseCapability(C) (https://tc39.es/ecma262/#sec-newpromisecapability).
			let resolve, reject;
			const promise = new C((res, rej) => {
				if (resolve !== undefined || reject !== undefined) throw new TypeError("Promise executor has already been invoked");
				resolve = res;
				reject = rej;
			});
			if (typeof resolve !== "function" || typeof reject !== "function") throw new TypeError("Promise resolve or reject function is not callable");
			const args = [];
			for (let i = 1; i < arguments.length; i++) args[i - 1] = arguments[i];
			let status, result;
			try {
				result = apply(callbackfn, undefined, args);
				status = resolve;
			} catch (e) {
				result = e;
				status = reject;
			}
			apply(status, undefined, [result]);
			return promise;
		},
	});
})
