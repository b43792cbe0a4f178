// Splits a file of several ESC/POS print jobs (what a file: printer collects)
// into one file per job, cutting where npos — an independent ESC/POS parser —
// finds each job's ESC @ (initialize). Raster data cannot fake one: npos
// skips GS v 0 bands by their declared size.
//
//   NODE_PATH=tests/tools/node_modules node split_jobs.js PRINTED.bin OUT_DIR
//
// Writes OUT_DIR/job-1.bin, job-2.bin, ... and prints {"jobs": N}.
'use strict';

const fs = require('fs');
const path = require('path');
const npos = require('npos');

const [input, outputDirectory] = process.argv.slice(2);
if (!input || !outputDirectory) {
  console.error('usage: split_jobs.js PRINTED.bin OUT_DIR');
  process.exit(2);
}

// npos does not know GS ( k (QR code functions): a 16-bit length and its bytes.
const rules = JSON.parse(JSON.stringify(npos.rules));
rules[npos.symbols.GS]['(k'] = [0, 'd16'];
const parser = npos.parser(rules);

const bytes = fs.readFileSync(input);
parser.parse(bytes).then((ast) => {
  const starts = ast.tree
    .filter((node) => node.ascii === 'ESC' && node.fn === '@')
    .map((node) => node.offset);
  if (starts.length === 0 || starts[0] !== 0) {
    console.error('the file does not start with ESC @');
    process.exit(1);
  }
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? starts[index + 1] : bytes.length;
    fs.writeFileSync(path.join(outputDirectory, `job-${index + 1}.bin`), bytes.subarray(start, end));
  });
  console.log(JSON.stringify({ jobs: starts.length }));
}).catch((error) => {
  console.error('npos could not parse the file: ' + (error && error.message ? error.message : error));
  process.exit(1);
});
