#include "plan/correction.h"

#include <algorithm>
#include <cmath>

#include "plan/srgb.h"
#include "plan/tone_curve.h"

namespace enhancer {
namespace {

// Gamma is searched in this range, to this precision: invisible (< 0.2 levels).
constexpr double kGammaSearchMin = 0.7, kGammaSearchMax = 1.5, kGammaTolerance = 0.001;

// The slope in gamma-encoded values that matches linear gain `k` at the top of the range:
// where the gain brightens, the level that reaches white; where it darkens, white's new level.
double EncodedGain(double k) { return k >= 1.0 ? 1.0 / LinearToSrgb(1.0 / k) : LinearToSrgb(k); }

// What the correction does to gamma-encoded level x of channel c.
double Target(const Correction& correction, int c, double x) {
  const double b = correction.black;
  const double xn = std::clamp((x - b) / (1.0 - b), 0.0, 1.0);
  if (correction.linear_light) return LinearToSrgb(SrgbToLinear(xn) * correction.gains[c]);
  return std::clamp(xn * EncodedGain(correction.gains[c]), 0.0, 1.0);
}

}  // namespace

Correction Scaled(const Correction& correction, double strength) {
  Correction out = correction;
  out.black = correction.black * strength;
  for (double& gain : out.gains) gain = std::pow(gain, strength);
  return out;
}

Correction WithExposure(const Correction& correction, double stops) {
  Correction out = correction;
  for (double& gain : out.gains) gain *= std::exp2(stops);
  return out;
}

Correction WithWarmth(const Correction& correction, double amount) {
  Correction out = correction;
  out.gains[0] *= std::exp(amount / 2);
  out.gains[2] *= std::exp(-amount / 2);
  return out;
}

Recipe FitRecipe(const Correction& correction, const ChannelHistograms& histogram,
                 const Recipe& base) {
  using B = RecipeBounds;
  Recipe recipe = base;
  const double b = std::clamp(correction.black, 0.0, B::kBlackPointMax);
  Correction target = correction;
  target.black = b;

  // Per channel, the input level the correction takes to white (above 1 when it darkens).
  std::array<double, 3> white_level;
  double white = 0;
  for (int c = 0; c < 3; ++c) {
    white_level[c] = b + (1.0 - b) / EncodedGain(std::max(1e-6, target.gains[c]));
    white = std::max(white, white_level[c]);
  }
  white = std::clamp(white, std::max(B::kWhitePointMin, b + B::kMinLevelsRange), 1.0);
  recipe.black_point = b;
  recipe.white_point = white;
  for (int c = 0; c < 3; ++c) {
    recipe.white_balance[c] =
        std::clamp((white - b) / std::max(1e-6, white_level[c] - b), B::kGainMin, B::kGainMax);
  }

  // Levels and gains match the correction at black and white; gamma matches it in between,
  // weighted by how many pixels sit at each level. The error is unimodal in gamma, so a
  // golden-section search finds its minimum in a few dozen evaluations.
  double best_gamma = 1.0;
  if (correction.linear_light) {
    Recipe trial = recipe;
    trial.contrast = 1.0;
    auto error = [&](double gamma) {
      trial.gamma = gamma;
      double sum = 0;
      for (int c = 0; c < 3; ++c) {
        for (int level = 0; level < 256; ++level) {
          if (histogram[c][level] == 0) continue;
          const double x = level / 255.0;
          const double d = ToneCurve(trial, c, x) - Target(target, c, x);
          sum += histogram[c][level] * d * d;
        }
      }
      return sum;
    };
    constexpr double kInvPhi = 0.6180339887498949;
    double lo = kGammaSearchMin, hi = kGammaSearchMax;
    double a = hi - kInvPhi * (hi - lo), b = lo + kInvPhi * (hi - lo);
    double fa = error(a), fb = error(b);
    while (hi - lo > kGammaTolerance) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - kInvPhi * (hi - lo);
        fa = error(a);
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + kInvPhi * (hi - lo);
        fb = error(b);
      }
    }
    best_gamma = (lo + hi) / 2;
  }
  recipe.gamma = std::clamp(best_gamma * base.gamma, B::kGammaMin, B::kGammaMax);
  return recipe;
}

double MidtoneStops(const Recipe& recipe) {
  constexpr double kMidGrey = 0.4663;  // 18 % grey, encoded
  double before = 0, after = 0;
  constexpr double kLuma[3] = {0.2126, 0.7152, 0.0722};
  for (int c = 0; c < 3; ++c) {
    before += kLuma[c] * SrgbToLinear(kMidGrey);
    after += kLuma[c] * SrgbToLinear(ToneCurve(recipe, c, kMidGrey));
  }
  return std::log2(std::max(after, 1e-6) / before);
}

}  // namespace enhancer
