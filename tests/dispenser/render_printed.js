// Independent check of printed tickets: parses an ESC/POS byte file with npm
// `npos` (not Luot's own code), rebuilds the GS v 0 raster bands as one PNG,
// and prints a JSON summary of the commands it found.
//
//   NODE_PATH=tests/tools/node_modules node render_printed.js JOB.bin OUT.png [OUT.pbm]
//
// The optional PBM holds the same dots, for a dot-by-dot comparison.
'use strict';

const fs = require('fs');
const npos = require('npos');
const { PNG } = require('pngjs');

const [input, output, pbmOutput] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: render_printed.js JOB.bin OUT.png');
  process.exit(2);
}

// npos does not know GS ( k (QR code functions): its parameters are a 16-bit
// length followed by that many bytes.
const rules = JSON.parse(JSON.stringify(npos.rules));
rules[npos.symbols.GS]['(k'] = [0, 'd16'];
const parser = npos.parser(rules);

parser.parse(fs.readFileSync(input)).then((ast) => {
  const commands = ast.tree.map((node) => {
    if (node.ascii === 'STX') return { name: 'text', length: node.length };
    const name = node.ascii + (node.fn ? ' ' + node.fn : '');
    return { name, offset: node.offset, length: node.length };
  });
  // The raster codec records each band's size on its node while decoding.
  const bands = ast.tree
    .filter((node) => node.ascii === 'GS' && node.fn === 'v0')
    .map((node) => ({ widthBytes: node.width / 8, rows: node.height }));
  const rasters = ast.entries.filter((entry) => entry.type === 'raster');
  if (rasters.length !== 1) {
    console.error(`expected the raster bands to form one image, found ${rasters.length}`);
    process.exit(1);
  }
  const bitmap = rasters[0].data;
  const png = new PNG({ width: bitmap.width, height: bitmap.height, colorType: 0 });
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      const value = bitmap.getPixel(x, y) === 0 ? 0 : 255;
      const index = (y * bitmap.width + x) * 4;
      png.data[index] = png.data[index + 1] = png.data[index + 2] = value;
      png.data[index + 3] = 255;
    }
  }
  fs.writeFileSync(output, PNG.sync.write(png, { colorType: 0 }));
  if (pbmOutput) {
    const stride = Math.ceil(bitmap.width / 8);
    const bits = Buffer.alloc(stride * bitmap.height);
    for (let y = 0; y < bitmap.height; y++) {
      for (let x = 0; x < bitmap.width; x++) {
        if (bitmap.getPixel(x, y) === 0) bits[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
    const header = Buffer.from(`P4\n${bitmap.width} ${bitmap.height}\n`, 'ascii');
    fs.writeFileSync(pbmOutput, Buffer.concat([header, bits]));
  }
  console.log(JSON.stringify({ width: bitmap.width, height: bitmap.height, bands, commands }));
}).catch((error) => {
  console.error('npos could not parse the job: ' + (error && error.message ? error.message : error));
  process.exit(1);
});
