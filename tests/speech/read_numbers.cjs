// Reads whole numbers aloud with the npm package read-vietnamese-number, an
// independent implementation the C++ number reader is compared against.
// Usage: node read_numbers.cjs TOOLS_DIR north|south FIRST LAST [STEP]
// Prints one line per number: "<number>\t<reading>".
'use strict';
const path = require('path');
const [toolsDir, dialect, first, last, step] = process.argv.slice(2);
const { ReadingConfig, doReadNumber } = require(
  path.join(toolsDir, 'node_modules', 'read-vietnamese-number', 'dist', 'cjs', 'index.js'));

const config = new ReadingConfig();
config.unit = [];  // no "đơn vị" after the number
config.units = [[], [dialect === 'north' ? 'nghìn' : 'ngàn'], ['triệu'], ['tỷ']];
config.oddText = dialect === 'north' ? 'linh' : 'lẻ';
config.fourToneText = dialect === 'north' ? 'bốn' : 'tư';

const lines = [];
const stride = BigInt(step || '1');
for (let n = BigInt(first); n <= BigInt(last); n += stride) {
  lines.push(`${n}\t${doReadNumber(n.toString(), config)}`);
}
process.stdout.write(lines.join('\n') + '\n');
