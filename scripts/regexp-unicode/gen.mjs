// Writes bindings/jsregexp/unicode.gz, the Unicode property data behind
// RegExp property escapes (\p{...}, https://tc39.es/ecma262/#sec-compiletocharset
// and https://tc39.es/ecma262/#table-nonbinary-unicode-properties).
//
// The data comes from the npm packages regenerate-unicode-properties (the code
// points and strings of each property ECMAScript names),
// unicode-property-aliases-ecmascript and unicode-match-property-value-ecmascript
// (the property and value aliases). To regenerate:
//
//	cd "$(mktemp -d)" && npm install regenerate regenerate-unicode-properties@10.2.2 \
//	    unicode-property-aliases-ecmascript unicode-match-property-value-ecmascript
//	node /path/to/wsjs/scripts/regexp-unicode/gen.mjs /path/to/wsjs/bindings/jsregexp/unicode.gz
//
// The file is gzip'd text, one line per record, fields separated by tabs:
//
//	v	<Unicode version>
//	p	<property alias>	<canonical property>
//	a	<property>	<value alias>	<canonical value>
//	r	<property>/<value>	<ranges>	<strings>
//
// <ranges> are comma-separated "gap.length" pairs in hex: a range starts gap
// code points after the previous range's end (the first after -1) and spans
// length+1 code points. <strings> are |-separated, each code points in hex
// separated by spaces. Binary properties are written with property "Binary".
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import process from "node:process";

const require = createRequire(process.cwd() + "/");
const props = require("regenerate-unicode-properties");
const version = require("regenerate-unicode-properties/unicode-version.js");
const values = require("unicode-match-property-value-ecmascript/data/mappings.js");
const { default: aliases } = await import(require.resolve("unicode-property-aliases-ecmascript"));

const lines = [`v\t${version}`];
for (const [alias, canonical] of aliases) lines.push(`p\t${alias}\t${canonical}`);
for (const [prop, m] of values) {
  for (const [alias, canonical] of m) lines.push(`a\t${prop}\t${alias}\t${canonical}`);
}
const encodeRanges = (set) => {
  const out = [];
  let prev = -1;
  const data = set.data; // regenerate: [start, end+1, start, end+1, ...]
  for (let i = 0; i < data.length; i += 2) {
    const lo = data[i], hi = data[i + 1] - 1;
    out.push(`${(lo - prev).toString(16)}.${(hi - lo).toString(16)}`);
    prev = hi;
  }
  return out.join(",");
};
const encodeString = (s) => [...s].map((c) => c.codePointAt(0).toString(16)).join(" ");
for (const [prop, names] of props) {
  const dir = prop === "Binary_Property" ? "Binary" : prop;
  for (const name of names) {
    const mod = require(`regenerate-unicode-properties/${prop}/${name}.js`);
    if (prop === "Property_of_Strings") {
      lines.push(`r\tBinary/${name}\t${encodeRanges(mod.characters)}\t${mod.strings.map(encodeString).join("|")}`);
    } else {
      lines.push(`r\t${dir}/${name}\t${encodeRanges(mod.characters)}\t`);
    }
  }
}
writeFileSync(process.argv[2], gzipSync(lines.join("\n") + "\n", { level: 9 }));
