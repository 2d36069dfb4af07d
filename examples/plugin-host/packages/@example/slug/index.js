"use strict";
// A CommonJS package, as most of npm still is: the bundler wraps it so that an
// ES module can import its module.exports as the default export.
function slugify(text) {
	return String(text)
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-+|-+$/g, "");
}
module.exports = slugify;
