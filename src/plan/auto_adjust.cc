#include "plan/auto_adjust.h"

#include <algorithm>
#include <cmath>

namespace enhancer {
namespace {

// Below this many levels the "range" is a flat photo's noise: stretching it would be a
// contrast boost of 16x and more.
constexpr int kMinStretchLevels = 16;

int Percentile(const std::array<uint32_t, 256>& histogram, uint64_t total, double fraction) {
  const double wanted = fraction * static_cast<double>(total);
  uint64_t seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += histogram[v];
    if (static_cast<double>(seen) >= wanted) return v;
  }
  return 255;
}

}  // namespace

Recipe ResolveAutoAdjustments(const Recipe& recipe, const PhotoStatistics& statistics) {
  Recipe out = Clamp(recipe);
  uint64_t total = 0;
  for (uint32_t count : statistics.luma) total += count;
  if (total == 0) {
    out.auto_levels = 0;
    out.grey_world = false;
    return out;
  }
  if (out.auto_levels > 0) {
    int lo = Percentile(statistics.luma, total, out.auto_levels);
    int hi = Percentile(statistics.luma, total, 1.0 - out.auto_levels);
    if (hi - lo < kMinStretchLevels) lo = 0, hi = 255;
    out.black_point = lo / 255.0;
    out.white_point = hi / 255.0;
    out.auto_levels = 0;
    out = Clamp(out);  // the recipe bounds hold for measured levels too
  }
  if (out.grey_world) {
    const double lo = out.black_point * 255.0, hi = out.white_point * 255.0;
    std::array<double, 3> means{};
    for (int c = 0; c < 3; ++c) {
      double sum = 0;
      uint64_t count = 0;
      for (int v = 0; v < 256; ++v) {
        const double stretched = std::clamp((v - lo) * 255.0 / (hi - lo), 0.0, 255.0);
        sum += stretched * statistics.channels[c][v];
        count += statistics.channels[c][v];
      }
      means[c] = count > 0 ? sum / static_cast<double>(count) : 0.0;
    }
    const double grey = (means[0] + means[1] + means[2]) / 3.0;
    for (int c = 0; c < 3; ++c) {
      // A channel with nothing in it (a pure-blue photo's red) has no colour cast to undo.
      out.white_balance[c] = means[c] > 0 ? grey / means[c] : 1.0;
    }
    out.grey_world = false;
    out = Clamp(out);
  }
  return out;
}

}  // namespace enhancer
