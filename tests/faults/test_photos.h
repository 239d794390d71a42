// Photos made on the fly with libvips for the fault tests, so no fixture files are needed.
#pragma once

#include <string>

namespace enhancer::testing {

// A baseline JPEG of `width` x `height` whose pixels depend on `seed`: different seeds give
// different bytes, hence different source hashes and object keys.
std::string SmallJpeg(int seed, int width = 200, int height = 150);

// A uniform grey PNG of side x side pixels. Its header names side^2 pixels, yet it compresses to
// about a thousandth of that (30000 x 30000: under 1 MB), so it tests the pixel limit, not the
// byte limit. Takes a few CPU-seconds for 30000.
std::string UniformPng(int side);

}  // namespace enhancer::testing
