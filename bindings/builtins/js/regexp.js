// RegExp (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects) over
// regexp.go's matcher: the constructor, RegExp.prototype.compile and
// RegExp.prototype[Symbol.split]. The constructor replaces goja's; its
// instances are goja RegExp objects (so they are RegExp objects to every
// built-in that asks) whose pattern goja never matches: their source, flags
// and matcher are slots regexp.go keeps, and exec, test and the getters it
// defines on RegExp.prototype read them. Symbol.match, replace, search and
// matchAll stay goja's: once exec is replaced they take the spec's steps
// through it.
(function (native) {
	"use strict";
	const OriginalRegExp = globalThis.RegExp;
	const proto = OriginalRegExp.prototype;
	const { construct, getOwnPropertyDescriptor: getOwn, defineProperty } = Reflect;
	const { slotsOf, initialize, splitFind } = native;
	const builtinExec = proto.exec;
	const matchSymbol = Symbol.match;
	const MAX_UINT32 = 2 ** 32 - 1;
	const push = (a, v) => defineProperty(a, a.length, { value: v, writable: true, enumerable: true, configurable: true });

	// IsRegExp (https://tc39.es/ecma262/#sec-isregexp).
	const isRegExp = (argument) => {
		if (typeof argument !== "object" && typeof argument !== "function" || argument === null) {
			return false;
		}
		const matcher = argument[matchSymbol];
		if (matcher !== undefined) {
			return !!matcher;
		}
		return slotsOf(argument) !== undefined;
	};

	// RegExp(pattern, flags) (https://tc39.es/ecma262/#sec-regexp-pattern-flags).
	function RegExp(pattern, flags) {
		const patternIsRegExp = isRegExp(pattern);
		let newTarget = new.target;
		if (newTarget === undefined) {
			newTarget = RegExp;
			if (patternIsRegExp && flags === undefined) {
				const patternConstructor = pattern.constructor;
				if (patternConstructor === newTarget) {
					return pattern;
				}
			}
		}
		let P, F;
		const patternSlots = slotsOf(pattern);
		if (patternSlots !== undefined) {
			P = patternSlots[0];
			F = flags === undefined ? patternSlots[1] : flags;
		} else if (patternIsRegExp) {
			P = pattern.source;
			F = flags === undefined ? pattern.flags : flags;
		} else {
			P = pattern;
			F = flags;
		}
		// RegExpAlloc (https://tc39.es/ecma262/#sec-regexpalloc): a goja RegExp
		// object with new.target's prototype and lastIndex.
		const O = construct(OriginalRegExp, [], newTarget);
		if (newTarget !== RegExp) {
			native.disableLegacy(O); // regexp_legacy.go
		}
		// RegExpInitialize (https://tc39.es/ecma262/#sec-regexpinitialize).
		initialize(O, P === undefined ? "" : `${P}`, F === undefined ? "" : `${F}`);
		O.lastIndex = 0;
		return O;
	}
	defineProperty(RegExp, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
	defineProperty(proto, "constructor", { value: RegExp, writable: true, enumerable: false, configurable: true });
	for (const key of Reflect.ownKeys(OriginalRegExp)) {
		if (key !== "prototype" && key !== "name" && key !== "length") {
			defineProperty(RegExp, key, getOwn(OriginalRegExp, key));
		}
	}

	const methods = {
		// RegExp.prototype.compile (https://tc39.es/ecma262/#sec-regexp.prototype.compile).
		compile(pattern, flags) {
			const O = this;
			if (slotsOf(O) === undefined) {
				throw new TypeError("RegExp.prototype.compile called on an object that is not a RegExp");
			}
			if (!native.legacyEnabled(O)) {
				throw new TypeError("RegExp.prototype.compile called on an instance of a RegExp subclass");
			}
			let P, F;
			const patternSlots = slotsOf(pattern);
			if (patternSlots !== undefined) {
				if (flags !== undefined) {
					throw new TypeError("Cannot supply flags when constructing one RegExp from another");
				}
				P = patternSlots[0];
				F = patternSlots[1];
			} else {
				P = pattern;
				F = flags;
			}
			initialize(O, P === undefined ? "" : `${P}`, F === undefined ? "" : `${F}`);
			O.lastIndex = 0;
			return O;
		},
		// RegExp.prototype[Symbol.split] (https://tc39.es/ecma262/#sec-regexp.prototype-%symbol.split%).
		[Symbol.split](string, limit) {
			const rx = this;
			if (typeof rx !== "object" && typeof rx !== "function" || rx === null) {
				throw new TypeError("RegExp.prototype[Symbol.split] called on a non-object");
			}
			const S = `${string}`;
			let C = rx.constructor;
			if (C === undefined) {
				C = RegExp;
			} else {
				if (typeof C !== "object" && typeof C !== "function" || C === null) {
					throw new TypeError("constructor is not an object");
				}
				const species = C[Symbol.species];
				C = species === undefined || species === null ? RegExp : species;
				if (typeof C !== "function") {
					throw new TypeError("Symbol.species is not a constructor");
				}
			}
			const flags = `${rx.flags}`;
			const unicodeMatching = flags.includes("u") || flags.includes("v");
			const newFlags = flags.includes("y") ? flags : flags + "y";
			const splitter = construct(C, [rx, newFlags]);
			const A = [];
			const lim = limit === undefined ? MAX_UINT32 : limit >>> 0;
			if (lim === 0) {
				return A;
			}
			const size = S.length;
			if (size === 0) {
				if (regExpExec(splitter, S) === null) {
					push(A, S);
				}
				return A;
			}
			let p = 0;
			let q = p;
			if (splitter.exec === builtinExec && slotsOf(splitter) !== undefined) {
				// Trying the splitter at each q runs no script: the next match
				// is found by one search instead.
				while (q < size) {
					const r = splitFind(splitter, S, q);
					if (r === null || r[0] >= size) {
						break;
					}
					const e = Math.min(r[1], size);
					if (e === p) {
						q = advance(S, r[0], unicodeMatching);
						continue;
					}
					push(A, S.substring(p, r[0]));
					if (A.length === lim) {
						return A;
					}
					p = e;
					for (let i = 2; i < r.length; i++) {
						push(A, r[i]);
						if (A.length === lim) {
							return A;
						}
					}
					q = p;
				}
				push(A, S.substring(p, size));
				return A;
			}
			while (q < size) {
				splitter.lastIndex = q;
				const z = regExpExec(splitter, S);
				if (z === null) {
					q = advance(S, q, unicodeMatching);
					continue;
				}
				const e = Math.min(toLength(splitter.lastIndex), size);
				if (e === p) {
					q = advance(S, q, unicodeMatching);
					continue;
				}
				push(A, S.substring(p, q));
				if (A.length === lim) {
					return A;
				}
				p = e;
				const numberOfCaptures = Math.max(toLength(z.length) - 1, 0);
				for (let i = 1; i <= numberOfCaptures; i++) {
					push(A, z[i]);
					if (A.length === lim) {
						return A;
					}
				}
				q = p;
			}
			push(A, S.substring(p, size));
			return A;
		},
	};
	const toLength = (v) => {
		const n = Math.trunc(+v);
		return n > 0 ? Math.min(n, 2 ** 53 - 1) : 0;
	};
	// AdvanceStringIndex (https://tc39.es/ecma262/#sec-advancestringindex).
	const advance = (S, index, unicode) => {
		if (!unicode || index + 1 >= S.length) {
			return index + 1;
		}
		const c = S.charCodeAt(index);
		const d = S.charCodeAt(index + 1);
		return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? index + 2 : index + 1;
	};
	// RegExpExec (https://tc39.es/ecma262/#sec-regexpexec).
	const regExpExec = (R, S) => {
		const exec = R.exec;
		if (typeof exec === "function") {
			const result = Reflect.apply(exec, R, [S]);
			if (typeof result !== "object" && typeof result !== "function") {
				throw new TypeError("exec returned neither an object nor null");
			}
			return result;
		}
		return native.builtinExec(R, S);
	};
	for (const key of ["compile", Symbol.split]) {
		defineProperty(proto, key, { value: methods[key], writable: true, enumerable: false, configurable: true });
	}
	globalThis.RegExp = RegExp;
});
