// Lanczos3 resampling of interleaved RGB, separable, as Pillow defines it: output pixel j of n
// is centred on input position (j + 0.5) * in / n, the kernel sinc(x) sinc(x / 3) is widened by
// in / n when shrinking, cut at the image's edges and renormalised there.
//
// FitStep uses it to enlarge: libvips enlarges only through an affine transform with a bicubic
// interpolator, which is both several times slower and not the kernel the reference recipe
// (BENCH-RECIPE.md, S3) asks for. Shrinking stays with libvips, whose reducers are vectorised.
#pragma once

#include <cstdint>
#include <vector>

namespace enhancer::render {

// `pixels`: width * height * 3 samples, 8-bit (`max_value` 255) or 16-bit (65535). Returns
// out_width * out_height * 3 16-bit samples on the 0..65535 scale (8-bit input is scaled by
// 257), rounded once at the end: the in-between values the kernel computes are kept.
template <typename Sample>
std::vector<uint16_t> Lanczos3Resize(const Sample* pixels, int width, int height, int out_width,
                                     int out_height);

}  // namespace enhancer::render
