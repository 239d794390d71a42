// Lanczos3 resampling of interleaved RGB, separable, as Pillow defines it: output pixel j of n
// is centred on input position (j + 0.5) * in / n, the kernel sinc(x) sinc(x / 3) is widened by
// in / n when shrinking, cut at the image's edges and renormalised there. Computed in float and
// rounded once, at the end.
//
// Used where libvips is slow or not what the reference recipe (BENCH-RECIPE.md, S3 and V5) asks
// for: FitStep enlarges with it (libvips enlarges only through an affine transform with a bicubic
// interpolator, several times slower), and ThumbnailStep shrinks the canvas with it, computing
// only the part of the thumbnail the photo reaches. Shrinking a large photo as it is decoded
// stays with libvips, which streams it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace enhancer::render {

// `pixels`: width * height * 3 samples, 8-bit or 16-bit. Returns out_width * out_height * 3
// samples of `Out`; 8-bit input to 16-bit output is scaled by 257.
template <typename In, typename Out>
std::vector<Out> Lanczos3Resize(const In* pixels, int width, int height, int out_width,
                                int out_height);

// The rectangle of a canvas that holds the photo; the rest is background.
struct Rect {
  int left = 0, top = 0, width = 0, height = 0;
};

// The same for an 8-bit canvas that is `background` outside `photo`: output pixels whose kernel
// reaches no photo pixel are the background (exactly: the kernel is normalised), and are not
// computed.
std::vector<uint8_t> Lanczos3ResizeCanvas(const uint8_t* pixels, int width, int height,
                                          int out_width, int out_height, Rect photo,
                                          std::array<uint8_t, 3> background);

}  // namespace enhancer::render
