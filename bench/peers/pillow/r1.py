#!/usr/bin/env python3
"""Recipe R1 (BENCH-RECIPE.md) in Pillow + numpy: the reference implementation the runner compares
every other tool's pixels with.

Usage: python3 r1.py INPUT.jpg OUTDIR MODE      (MODE = ref | fast)
Writes OUTDIR/<stem>_s1.00_1600.jpg, _s1.15_1600.jpg, _s1.30_1600.jpg and the three _600.jpg.

How each step is done (all of them follow R1 exactly unless said otherwise):
  S1  Image.open + load; `fast` calls Image.draft first, asking for the DCT scale that R1 picks
      (the strongest of 1/2, 1/4, 1/8 whose ceil-rounded result still covers the S3 size).
  S2  ImageOps.exif_transpose after S3 (R1 allows that; it saves transposing the full-size image),
      the EXIF block being handed over from the decoded image.
  S3  Image.resize(LANCZOS, reducing_gap=None): Lanczos3, support widened by 1/f when shrinking,
      separable, 8-bit result, no box pre-shrink.
  S4  convert("L") + histogram() for the luma percentiles, histogram() for the per-channel means.
      The percentile tests are done in integers (count * 200 >= N for 0.5 %) so that no binary
      rounding of 0.005 * N can move lo or hi.
  S5  Image.point with one 256-entry LUT per channel.
  V1  Image.convert("RGB", matrix) with R1's 3x3 matrix M: Pillow computes it in float and rounds
      half up, which is R1's formula. (ImageEnhance.Color is NOT used: it blends against the
      already-rounded L image and truncates: one level lower in 35-40 % of the values.)
  V2  numpy (Pillow has no 7x7 Gaussian: ImageFilter.GaussianBlur is a box approximation and
      ImageFilter.UnsharpMask has a thresholded, percent-based definition): separable 7-tap
      Gaussian sigma 1.0 in float64 on an edge-replicated copy, then in + 0.6 * (in - blur).
  V3  Image.new white 1600x1600 + paste.
  V4  save(quality=85, progressive=True, optimize=True, subsampling=2 (4:2:0)), with no EXIF,
      ICC profile or comment (the canvas is a new image, so it carries none of the input's info).
  V5  Image.resize((600, 600), LANCZOS, reducing_gap=None) of the V3 canvas, saved as V4.

Rounding: every real-valued result is rounded half up (floor(x + 0.5)), the convention of
Pillow's own matrix conversion and of libvips' casts after a +0.5; ties are rare anyway.
"""
import math
import os
import sys

import numpy as np
from PIL import Image, ImageOps

CANVAS = 1600
THUMB = 600
SATURATIONS = ("1.00", "1.15", "1.30")
LEVELS_CLIP_PER_200 = 1  # 0.005 = 1/200 of the pixels clipped at each end
MIN_LEVELS_SPAN = 16
GAIN_MIN, GAIN_MAX = 0.5, 2.0
SHARPEN_AMOUNT = 0.6
SHARPEN_SIGMA = 1.0
LUMA = (0.299, 0.587, 0.114)
STRIP_ROWS = 16  # V2 works on this many rows at a time


def fit_size(width, height):
    """S3's output size: f = 1600 / max(W, H), W' = round(W f), H' = round(H f)."""
    f = CANVAS / max(width, height)
    return int(math.floor(width * f + 0.5)), int(math.floor(height * f + 0.5))


def dct_scale(width, height, target):
    """R1 fast mode: the strongest of 8, 4, 2 whose ceil(dim / s) still covers the target."""
    for s in (8, 4, 2):
        if -(-width // s) >= target[0] and -(-height // s) >= target[1]:
            return s
    return 1


def decode(path, mode):
    """S1: the decoded RGB image and the S3 size, planned from the full-size header."""
    im = Image.open(path)
    target = fit_size(*im.size)
    if mode == "fast":
        s = dct_scale(*im.size, target)
        if s > 1:
            # draft() picks min(W // w, H // h) rounded down to 8, 4, 2, 1: asking for W // s
            # makes it pick exactly s.
            want = (-(-im.size[0] // s), -(-im.size[1] // s))
            im.draft("RGB", (im.size[0] // s, im.size[1] // s))
            assert im.size == want, (im.size, want)
    return im.convert("RGB") if im.mode != "RGB" else im, target


def percentile(hist, n, per_200):
    """Smallest v with #{Y <= v} >= per_200 / 200 * n, in integers."""
    count = 0
    for v, h in enumerate(hist):
        count += h
        if count * 200 >= per_200 * n:
            return v
    return 255


def tone_luts(im):
    """S4: levels from the luma histogram, gray-world gains from the channel histograms; S5's LUT."""
    n = im.size[0] * im.size[1]
    luma_hist = im.convert("L").histogram()
    lo = percentile(luma_hist, n, LEVELS_CLIP_PER_200)
    hi = percentile(luma_hist, n, 200 - LEVELS_CLIP_PER_200)
    if hi - lo < MIN_LEVELS_SPAN:
        lo, hi = 0, 255
    v = np.arange(256, dtype=np.float64)
    stretch = np.clip((v - lo) * 255.0 / (hi - lo), 0.0, 255.0)
    channel_hist = np.asarray(im.histogram(), dtype=np.float64).reshape(3, 256)
    means = channel_hist @ stretch / n
    m = means.sum() / 3.0
    gains = [min(max(m / mc, GAIN_MIN), GAIN_MAX) if mc > 0 else (GAIN_MAX if m > 0 else 1.0)
             for mc in means]
    lut = []
    for gain in gains:
        lut.extend(np.clip(np.floor(gain * stretch + 0.5), 0, 255).astype(int).tolist())
    return lut


def saturation_matrix(sigma):
    """V1: M = sigma I + (1 - sigma) [w; w; w], as the 12-tuple Image.convert takes."""
    rows = []
    for i in range(3):
        rows.extend(sigma * (i == j) + (1.0 - sigma) * LUMA[j] for j in range(3))
        rows.append(0.0)
    return tuple(rows)


def gaussian_taps():
    r = int(3 * SHARPEN_SIGMA)
    g = np.exp(-(np.arange(-r, r + 1, dtype=np.float64) ** 2) / (2 * SHARPEN_SIGMA ** 2))
    return g / g.sum()


def unsharp(im):
    """V2: out = in + 0.6 (in - G1 * in), separable 7-tap Gaussian, edges replicated.

    float64 throughout (float32 is a little faster but rounds a few dozen values per image the
    other way), in strips of rows so that the intermediates stay in cache: 6x faster than
    whole-image arrays, same values.
    """
    a = np.asarray(im)
    g = gaussian_taps()
    r = len(g) // 2
    h, w = a.shape[:2]
    padded = np.pad(a, ((r, r), (r, r), (0, 0)), mode="edge")
    out = np.empty_like(a)
    for y0 in range(0, h, STRIP_ROWS):
        n = min(STRIP_ROWS, h - y0)
        block = padded[y0:y0 + n + 2 * r].astype(np.float64)
        rows = g[0] * block[:, 0:w]
        for k in range(1, len(g)):
            rows += g[k] * block[:, k:k + w]
        blur = g[0] * rows[0:n]
        for k in range(1, len(g)):
            blur += g[k] * rows[k:k + n]
        centre = block[r:r + n, r:r + w]
        res = centre + SHARPEN_AMOUNT * (centre - blur)
        res += 0.5
        np.floor(res, out=res)
        np.clip(res, 0, 255, out=res)
        out[y0:y0 + n] = res
    return Image.fromarray(out, "RGB")


def save_jpeg(im, path):
    im.save(path, "JPEG", quality=85, progressive=True, optimize=True, subsampling=2)


def main(argv):
    if len(argv) != 4 or argv[3] not in ("ref", "fast"):
        sys.stderr.write("usage: r1.py INPUT.jpg OUTDIR ref|fast\n")
        return 2
    path, outdir, mode = argv[1:]
    stem = os.path.splitext(os.path.basename(path))[0]
    os.makedirs(outdir, exist_ok=True)

    im, target = decode(path, mode)
    exif = im.info.get("exif")
    fitted = im.resize(target, Image.LANCZOS, reducing_gap=None)
    fitted.info = {"exif": exif} if exif else {}
    fitted = ImageOps.exif_transpose(fitted)
    fitted.info = {}
    toned = fitted.point(tone_luts(fitted))

    offset = ((CANVAS - toned.size[0]) // 2, (CANVAS - toned.size[1]) // 2)
    for sigma in SATURATIONS:
        sharpened = unsharp(toned.convert("RGB", saturation_matrix(float(sigma))))
        canvas = Image.new("RGB", (CANVAS, CANVAS), (255, 255, 255))
        canvas.paste(sharpened, offset)
        save_jpeg(canvas, os.path.join(outdir, f"{stem}_s{sigma}_{CANVAS}.jpg"))
        thumb = canvas.resize((THUMB, THUMB), Image.LANCZOS, reducing_gap=None)
        save_jpeg(thumb, os.path.join(outdir, f"{stem}_s{sigma}_{THUMB}.jpg"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
