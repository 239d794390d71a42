// AutoAdjust: the recipe numbers a recipe asks to have measured on the photo (auto_levels,
// grey_world), as the reference recipe R1 defines them (bench/peers): a luma percentile
// stretch, then grey-world gains on the stretched channels. Measured on the image the recipe
// is applied to (the fitted base), so every variant of a photo shares one measurement.
#pragma once

#include <array>
#include <cstdint>

#include "plan/correction.h"
#include "plan/recipe.h"

namespace enhancer {

// 256-bin histograms of an 8-bit sRGB image.
struct PhotoStatistics {
  std::array<uint32_t, 256> luma{};  // Y = round(0.299 R + 0.587 G + 0.114 B), Rec.601
  ChannelHistograms channels{};      // R, G, B
};

// Rec.601 luma of 8-bit values, rounded to nearest, in integers.
inline int Luma8(int r, int g, int b) { return (299 * r + 587 * g + 114 * b + 500) / 1000; }

// `recipe` with auto_levels and grey_world replaced by what they measure on `statistics`, and
// clamped. auto_levels = p: black_point is the smallest level with at least p of the pixels
// at or below it, white_point the smallest with at least 1 - p; a photo whose range is then
// narrower than 16 levels is left unstretched. grey_world: each channel's gain is the mean of
// the three stretched channel means over its own, within the recipe bounds. Recipes asking for
// neither come back clamped and otherwise unchanged.
Recipe ResolveAutoAdjustments(const Recipe& recipe, const PhotoStatistics& statistics);

// True when the recipe asks for anything to be measured.
inline bool NeedsMeasuring(const Recipe& recipe) {
  return recipe.auto_levels > 0 || recipe.grey_world;
}

}  // namespace enhancer
