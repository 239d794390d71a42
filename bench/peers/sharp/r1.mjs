// Recipe R1 (BENCH-RECIPE.md) in sharp, with the libvips that sharp brings in its @img/* packages.
//
// Usage: node r1.mjs INPUT.jpg OUTDIR MODE      (MODE = ref | fast)
// Writes OUTDIR/<stem>_s1.00_1600.jpg, _s1.15_1600.jpg, _s1.30_1600.jpg and the three _600.jpg.
//
// sharp runs one fixed order of operations per pipeline (resize, extend, convolve, recomb, linear,
// ...), so R1 is a chain of pipelines joined by raw pixel buffers, the usual way to compose sharp
// calls. The three variants run concurrently (Promise.all), as a sharp user would write it; sharp's
// own thread settings are left at their defaults (on glibc Linux: one libvips thread per pipeline,
// pipelines in parallel on libuv's pool).
//
// Where this deviates from R1, and why:
//  - S1 fast: sharp's fastShrinkOnLoad has its own rule: it halves the DCT scale whenever the
//    integer part of the shrink equals it ("known libjpeg rounding errors"), so 4000x3000 -> 1600
//    (shrink 2.5) would be decoded at full size. To decode at R1's scale, fast mode opens the file as
//    `INPUT[shrink=N]`, libvips' own load option, with N chosen by R1's rule; fastShrinkOnLoad
//    stays on and has nothing left to do. In ref mode sharp would still shrink on load when the
//    shrink is >= 4 even with fastShrinkOnLoad off; a full-frame pre-resize extract() turns that
//    off (only for such large inputs: it also moves auto-orientation before the resize). R1's
//    test photos shrink by 2.5 at most, so neither case arises for them.
//  - S3 enlarging (inputs under 1600 px, e.g. the 1 MP photo): libvips' resize does not use the
//    Lanczos3 kernel to enlarge; it uses a bicubic interpolator, and its sample grid is offset by
//    half an output pixel from the pixel-centre convention of R1 and Pillow. sharp offers no
//    Lanczos upsampler, so this stays: about 37 dB PSNR against R1 at S3 for the 1 MP photo.
//    Shrinking is R1's (libvips reduce, Lanczos3, widened support); libvips' gap of 2.0, which
//    sharp does not expose, adds a box pre-shrink from a shrink of 4 on (not reached by R1's
//    test photos).
//  - S4 statistics, S5 tone: computed in JavaScript on the raw S3 pixels (sharp has no LUT
//    operation; linear() cannot clip the stretch before the white-balance gain as R1 does).
//  - V1 saturation: recomb() with R1's matrix, then linear(1, 0.5): libvips casts float to 8 bit
//    by truncation, so the +0.5 makes it round half up (libvips computes in float32: a few dozen
//    values per image round the other way).
//  - V2 unsharp mask: convolve() with the 7x7 kernel 1.6 * delta - 0.6 * (g x g), g the normalised
//    7-tap Gaussian (sigma 1); libvips replicates edges. sharp's convolve has no separable form,
//    so this costs 49 taps per value instead of 14 (sharp's sharpen() works on the LAB L channel
//    with a different curve, not R1's per-channel formula). libvips' convolution truncates its
//    result to the input's format and ignores the kernel offset, so the V1 result goes in as
//    16-bit (v * 256 + 128) and comes back to 8 bit by sharp's RGB16 -> sRGB shift: together a
//    round half up.
//  - V3 extend() with white; V4 jpeg() with R1's settings and no metadata; V5 resize() of the
//    V3 canvas to 600x600 with Lanczos3. The prebuilt libvips encodes with mozjpeg's library
//    reset to its libjpeg-compatible profile (mozjpeg: false: standard tables, no trellis).

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const kCanvas = 1600;
const kThumb = 600;
const kSaturations = ['1.00', '1.15', '1.30'];
const kClipPer200 = 1; // 0.5 % of the pixels clipped at each end of the luma histogram
const kMinLevelsSpan = 16;
const kGainMin = 0.5;
const kGainMax = 2.0;
const kSharpenAmount = 0.6;
const kSharpenSigma = 1.0;
const kLuma = [0.299, 0.587, 0.114];
const kJpeg = {
  quality: 85,
  progressive: true,
  optimiseCoding: true,
  chromaSubsampling: '4:2:0',
  mozjpeg: false,
};

// S3's output size: f = 1600 / max(W, H), W' = round(W f), H' = round(H f).
function fitSize(width, height) {
  const f = kCanvas / Math.max(width, height);
  return [Math.floor(width * f + 0.5), Math.floor(height * f + 0.5)];
}

// R1 fast mode: the strongest of 8, 4, 2 whose ceil(dim / s) still covers the target.
function dctScale(width, height, [tw, th]) {
  for (const s of [8, 4, 2]) {
    if (Math.ceil(width / s) >= tw && Math.ceil(height / s) >= th) return s;
  }
  return 1;
}

const raw = (width, height) => ({ raw: { width, height, channels: 3 } });

// S1-S3: decode (DCT-scaled per mode), Lanczos3 fit, auto-orient. Returns raw 8-bit RGB.
async function decodeAndFit(input, mode) {
  const meta = await sharp(input).metadata();
  const [tw, th] = fitSize(meta.width, meta.height);
  const turned = (meta.orientation ?? 1) >= 5;
  let source = input;
  let pipeline;
  if (mode === 'fast') {
    const s = dctScale(meta.width, meta.height, [tw, th]);
    if (s > 1) source = `${input}[shrink=${s}]`;
    pipeline = sharp(source, { autoOrient: true, ignoreIcc: true });
  } else {
    pipeline = sharp(source, { autoOrient: true, ignoreIcc: true });
    if (Math.min(meta.width / tw, meta.height / th) >= 4) {
      const w = turned ? meta.height : meta.width;
      const h = turned ? meta.width : meta.height;
      pipeline = pipeline.extract({ left: 0, top: 0, width: w, height: h });
    }
  }
  // The target is given in displayed orientation; sharp turns it back for the resize.
  const { data, info } = await pipeline
    .resize({
      width: turned ? th : tw,
      height: turned ? tw : th,
      fit: 'fill',
      kernel: 'lanczos3',
      fastShrinkOnLoad: mode === 'fast',
    })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

// Smallest v with #{Y <= v} >= per200 / 200 * n, in integers.
function percentile(hist, n, per200) {
  let count = 0;
  for (let v = 0; v < 256; v++) {
    count += hist[v];
    if (count * 200 >= per200 * n) return v;
  }
  return 255;
}

// S4 + S5, in place: levels from Pillow's convert("L") luma, gray-world gains, one LUT per channel.
function tone(pixels) {
  const n = pixels.length / 3;
  const luma = new Float64Array(256);
  const channel = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  for (let i = 0; i < pixels.length; i += 3) {
    const r = pixels[i];
    const g = pixels[i + 1];
    const b = pixels[i + 2];
    luma[(r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16]++;
    channel[0][r]++;
    channel[1][g]++;
    channel[2][b]++;
  }
  let lo = percentile(luma, n, kClipPer200);
  let hi = percentile(luma, n, 200 - kClipPer200);
  if (hi - lo < kMinLevelsSpan) [lo, hi] = [0, 255];
  const stretch = new Float64Array(256);
  for (let v = 0; v < 256; v++) stretch[v] = Math.min(Math.max(((v - lo) * 255) / (hi - lo), 0), 255);
  const means = channel.map((hist) => hist.reduce((sum, h, v) => sum + h * stretch[v], 0) / n);
  const m = (means[0] + means[1] + means[2]) / 3;
  const luts = means.map((mc) => {
    const gain = mc > 0 ? Math.min(Math.max(m / mc, kGainMin), kGainMax) : m > 0 ? kGainMax : 1;
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.min(Math.max(Math.floor(gain * stretch[v] + 0.5), 0), 255);
    return lut;
  });
  const [lr, lg, lb] = luts;
  for (let i = 0; i < pixels.length; i += 3) {
    pixels[i] = lr[pixels[i]];
    pixels[i + 1] = lg[pixels[i + 1]];
    pixels[i + 2] = lb[pixels[i + 2]];
  }
}

// V1's matrix M = sigma I + (1 - sigma) [w; w; w].
function saturationMatrix(sigma) {
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => sigma * (i === j ? 1 : 0) + (1 - sigma) * kLuma[j]));
}

// V2 as one 7x7 kernel: 1.6 delta - 0.6 (g x g).
function unsharpKernel() {
  const r = Math.round(3 * kSharpenSigma);
  const g = [];
  for (let k = -r; k <= r; k++) g.push(Math.exp(-(k * k) / (2 * kSharpenSigma * kSharpenSigma)));
  const sum = g.reduce((a, b) => a + b, 0);
  const size = 2 * r + 1;
  const kernel = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const centre = x === r && y === r ? 1 + kSharpenAmount : 0;
      kernel.push(centre - (kSharpenAmount * g[y] * g[x]) / (sum * sum));
    }
  }
  return { width: size, height: size, kernel, scale: 1 };
}

async function variant(toned, width, height, sigma, stem, outdir) {
  const saturated = await sharp(toned, raw(width, height))
    .recomb(saturationMatrix(Number(sigma)))
    .linear(1, 0.5)
    .raw()
    .toBuffer();
  const wide = new Uint16Array(saturated.length);
  for (let i = 0; i < saturated.length; i++) wide[i] = saturated[i] * 256 + 128;
  const sharpened = await sharp(wide, raw(width, height)).convolve(unsharpKernel()).raw().toBuffer();
  const left = Math.floor((kCanvas - width) / 2);
  const top = Math.floor((kCanvas - height) / 2);
  const canvas = await sharp(sharpened, raw(width, height))
    .extend({
      left,
      top,
      right: kCanvas - width - left,
      bottom: kCanvas - height - top,
      background: { r: 255, g: 255, b: 255 },
    })
    .raw()
    .toBuffer();
  await Promise.all([
    sharp(canvas, raw(kCanvas, kCanvas))
      .jpeg(kJpeg)
      .toFile(path.join(outdir, `${stem}_s${sigma}_${kCanvas}.jpg`)),
    sharp(canvas, raw(kCanvas, kCanvas))
      .resize({ width: kThumb, height: kThumb, fit: 'fill', kernel: 'lanczos3' })
      .jpeg(kJpeg)
      .toFile(path.join(outdir, `${stem}_s${sigma}_${kThumb}.jpg`)),
  ]);
}

async function main(argv) {
  if (argv.length !== 3 || !['ref', 'fast'].includes(argv[2])) {
    process.stderr.write('usage: node r1.mjs INPUT.jpg OUTDIR ref|fast\n');
    return 2;
  }
  const [input, outdir, mode] = argv;
  const stem = path.basename(input, path.extname(input));
  fs.mkdirSync(outdir, { recursive: true });
  const { data, width, height } = await decodeAndFit(input, mode);
  tone(data);
  await Promise.all(kSaturations.map((sigma) => variant(data, width, height, sigma, stem, outdir)));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
