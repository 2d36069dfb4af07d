// Promise.try (https://tc39.es/ecma262/#sec-promise.try) and Promise.withResolvers
// (https://tc39.es/ecma262/#sec-promise.withResolvers), which goja lacks.
(function (es, intrinsics) {
	"use strict";
	const { newPromiseCapability, define } = es;
	const apply = intrinsics["Reflect.apply"];
	define(intrinsics.Promise, {
		try(callbackfn) {
			const capability = newPromiseCapability(this);
			const args = [];
			for (let i = 1; i < arguments.length; i++) args[i - 1] = arguments[i];
			let status, result;
			try {
				result = apply(callbackfn, undefined, args);
				status = capability.resolve;
			} catch (e) {
				result = e;
				status = capability.reject;
			}
			apply(status, undefined, [result]);
			return capability.promise;
		},
		withResolvers() {
			const { promise, resolve, reject } = newPromiseCapability(this);
			// A new ordinary object's data properties, in the spec's order.
			return { promise, resolve, reject };
		},
	});
})
