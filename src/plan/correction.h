// Correction: an adjustment in the planner's physical model, and its translation into a Recipe.
//
// The planner reasons as a camera would: remove a shared black level (flare, a flat conversion),
// then apply exposure and white balance as gains in linear light. A Recipe works on
// gamma-encoded values (levels, gains, gamma), so FitRecipe() finds the recipe numbers that come
// closest to the correction over the photo's own histogram; the gamma term absorbs the sRGB toe
// that a pure gamma-space stretch gets wrong in the shadows.
#pragma once

#include <array>
#include <cstdint>

#include "plan/recipe.h"

namespace enhancer {

using ChannelHistograms = std::array<std::array<uint32_t, 256>, 3>;

struct Correction {
  double black = 0.0;                    // gamma-encoded input level that becomes black
  std::array<double, 3> gains{1, 1, 1};  // linear-light R, G, B gains, after black removal
  // True: the gains are exposure in linear light (a camera's under-exposure or light colour).
  // False: they stretch gamma-encoded values (a flat conversion or haze lifted the blacks),
  // which is what levels on encoded values undo exactly.
  bool linear_light = true;
};

// The same correction applied `strength` of the way (0 = none, 1 = all): the black level
// scaled, the gains scaled in log space so that half-way is half the stops.
Correction Scaled(const Correction& correction, double strength);

// `stops` more (or less) exposure.
Correction WithExposure(const Correction& correction, double stops);

// Warmer (> 0) or cooler (< 0) by about `amount` in ln(R/B), keeping green, so brightness
// barely moves.
Correction WithWarmth(const Correction& correction, double amount);

// `base` with black_point, white_point, white_balance and gamma set to express `correction`
// on a photo with these histograms; every other field of `base` is kept, and `base.gamma` is
// multiplied in (so a look can ask for brighter midtones on top). The result is within the
// bounds of recipe.h.
Recipe FitRecipe(const Correction& correction, const ChannelHistograms& histogram,
                 const Recipe& base);

// How much brighter (> 0) or darker the correction makes mid-grey, in stops: for prompts.
double MidtoneStops(const Recipe& recipe);

}  // namespace enhancer
