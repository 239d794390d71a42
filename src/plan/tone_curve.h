// ToneCurve: the per-channel point operation a Recipe defines, in recipe.h's order: levels,
// white balance, gamma, contrast. One definition, used by the planner to fit and describe
// recipes and by the renderer to build its lookup tables, so the two cannot drift apart.
#pragma once

#include <array>
#include <cstdint>

#include "plan/recipe.h"

namespace enhancer {

// `x` and the result are gamma-encoded values in [0, 1]; `channel` is 0 (R), 1 (G) or 2 (B).
// Each stage clips to [0, 1]: white_point is the input level that becomes white.
double ToneCurve(const Recipe& recipe, int channel, double x);

using ToneTable = std::array<std::array<uint8_t, 256>, 3>;

// ToneCurve() sampled at the 256 8-bit levels of each channel, rounded to nearest.
ToneTable MakeToneTable(const Recipe& recipe);

// Row-major 3x3 matrix for `saturation` on gamma-encoded RGB that keeps Rec.601 luma
// (0.299 R + 0.587 G + 0.114 B): s * I + (1 - s) * [w; w; w].
std::array<double, 9> SaturationMatrix(double saturation);

}  // namespace enhancer
