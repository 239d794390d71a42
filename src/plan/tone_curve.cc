#include "plan/tone_curve.h"

#include <algorithm>
#include <cmath>

namespace enhancer {

double ToneCurve(const Recipe& recipe, int channel, double x) {
  const double range = std::max(1e-6, recipe.white_point - recipe.black_point);
  double v = std::clamp((x - recipe.black_point) / range, 0.0, 1.0);
  v = std::clamp(v * recipe.white_balance[channel], 0.0, 1.0);
  if (recipe.gamma != 1.0) v = std::pow(v, 1.0 / recipe.gamma);
  if (recipe.contrast != 1.0) v = std::clamp(0.5 + (v - 0.5) * recipe.contrast, 0.0, 1.0);
  return v;
}

ToneTable MakeToneTable(const Recipe& recipe) {
  ToneTable table;
  for (int c = 0; c < 3; ++c) {
    for (int level = 0; level < 256; ++level) {
      const double v = ToneCurve(recipe, c, level / 255.0);
      table[c][level] = static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
    }
  }
  return table;
}

std::array<double, 9> SaturationMatrix(double s) {
  constexpr double kW[3] = {0.299, 0.587, 0.114};
  std::array<double, 9> m;
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col)
      m[row * 3 + col] = (1.0 - s) * kW[col] + (row == col ? s : 0.0);
  }
  return m;
}

}  // namespace enhancer
