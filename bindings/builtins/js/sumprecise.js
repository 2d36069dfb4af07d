// Math.sumPrecise (https://tc39.es/proposal-math-sum/), which goja lacks. The
// iteration and the states are here; sumprecise.go adds the finite values up exactly
// and rounds the sum once (exactSum).
(function (es, intrinsics, exactSum) {
	"use strict";
	const { define } = es;
	const MINUS_ZERO = 0, FINITE = 1, PLUS_INFINITY = 2, MINUS_INFINITY = 3, NOT_A_NUMBER = 4;
	define(intrinsics.Math, {
		// https://tc39.es/proposal-math-sum/#sec-math.sumprecise
		sumPrecise(items) {
			if (items === undefined || items === null) throw new TypeError("Math.sumPrecise called on null or undefined");
			const { DONE, getIterator, iteratorStepValue, iteratorCloseThrow, list } = es.iteration();
			const record = getIterator(items);
			const finite = list();
			let state = MINUS_ZERO, count = 0;
			for (;;) {
				const n = iteratorStepValue(record);
				if (n === DONE) break;
				if (++count >= 9007199254740992) iteratorCloseThrow(record.iterator, new RangeError("Math.sumPrecise: too many values"));
				if (typeof n !== "number") iteratorCloseThrow(record.iterator, new TypeError("Math.sumPrecise: a value is not a number"));
				if (state === NOT_A_NUMBER) continue;
				if (n !== n) {
					state = NOT_A_NUMBER;
				} else if (n === Infinity) {
					state = state === MINUS_INFINITY ? NOT_A_NUMBER : PLUS_INFINITY;
				} else if (n === -Infinity) {
					state = state === PLUS_INFINITY ? NOT_A_NUMBER : MINUS_INFINITY;
				} else if ((n !== 0 || 1 / n > 0) && (state === MINUS_ZERO || state === FINITE)) {
					state = FINITE;
					finite[finite.length] = n;
				}
			}
			switch (state) {
			case NOT_A_NUMBER:
				return NaN;
			case PLUS_INFINITY:
				return Infinity;
			case MINUS_INFINITY:
				return -Infinity;
			case MINUS_ZERO:
				return -0;
			}
			return exactSum(finite);
		},
	});
})
