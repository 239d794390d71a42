// RecipePass: all of a recipe's pixel work in one pass over the fitted photo, written straight
// onto the canvas: the tone curve (levels, white balance, gamma, contrast: one table per
// channel), saturation, denoise and the unsharp mask, rounded to 8 bits once, at the end.
//
// It works in bands of rows, so what it holds at a time is a few rows of floats, not a copy of
// the photo per stage, and each band stays in cache while every stage runs over it. Plain
// buffers, no libvips: libvips would run the same work as five operations, three of them in
// double-precision float, each with its own pass over memory.
#pragma once

#include <cstdint>

#include "plan/recipe.h"

namespace enhancer::render {

// Interleaved RGB, 16 bits per sample (the prepared base), rows contiguous.
struct Rgb16View {
  const uint16_t* pixels = nullptr;
  int width = 0;
  int height = 0;
};

// Interleaved RGB, 8 bits per sample, rows contiguous.
struct Rgb8View {
  uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
};

// Applies the (clamped, resolved) recipe to `photo` and writes the result into `canvas` with
// the photo's top-left pixel at (left, top); the rest of the canvas is left as it is. The photo
// must fit inside the canvas there. Thread-safe: nothing is shared between calls.
//
// Neighbourhood operations replicate the photo's edge pixels, so the padding never bleeds
// into the photo. Gaussians are truncated at 3 sigma and normalised.
void ApplyRecipe(const Rgb16View& photo, const Recipe& recipe, Rgb8View canvas, int left, int top);

}  // namespace enhancer::render
