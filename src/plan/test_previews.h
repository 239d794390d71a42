// Synthetic previews for the planner tests (test-only): scenes whose right answers are known.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>

#include "plan/planner.h"
#include "plan/srgb.h"

namespace enhancer::plan_test {

using Colour = std::array<double, 3>;  // encoded 0..1

inline Preview MakePreview(int width, int height,
                           const std::function<Colour(int x, int y)>& pixel) {
  Preview p;
  p.width = width;
  p.height = height;
  p.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Colour c = pixel(x, y);
      for (int k = 0; k < 3; ++k) {
        p.rgb[(static_cast<size_t>(y) * width + x) * 3 + k] =
            static_cast<uint8_t>(std::lround(std::clamp(c[k], 0.0, 1.0) * 255.0));
      }
    }
  }
  return p;
}

// A product shot: a white (clipped) background, a grey ramp, a red box and a dark base.
inline Colour ProductScene(int x, int y) {
  if (x >= 100 && x < 300 && y >= 60 && y < 140) {
    const double v = 0.15 + 0.7 * (x - 100) / 200.0;
    return {v, v, v};
  }
  if (x >= 120 && x < 220 && y >= 160 && y < 230) return {0.8, 0.15, 0.1};
  if (x >= 240 && x < 330 && y >= 160 && y < 230) return {0.02, 0.02, 0.03};
  return {1.0, 1.0, 1.0};
}

// Applies linear-light gains (a light source or an exposure error) to a scene.
inline std::function<Colour(int, int)> InLinearLight(std::function<Colour(int, int)> scene,
                                                     Colour gains) {
  return [scene, gains](int x, int y) {
    Colour c = scene(x, y);
    for (int k = 0; k < 3; ++k) c[k] = LinearToSrgb(SrgbToLinear(c[k]) * gains[k]);
    return c;
  };
}

// A frame filled with warm wood-like texture: nothing in it is neutral.
inline Colour WoodScene(int x, int y) {
  const double grain = 0.08 * std::sin(x * 0.07 + 3 * std::sin(y * 0.02));
  return {0.62 + grain, 0.36 + grain * 0.7, 0.18 + grain * 0.4};
}

// Saturated colour everywhere and nothing neutral: an orange, a green, a purple and a deep blue
// patch on a dark red ground, plus a white glint of 3x3 pixels at (300, 40): too small to count
// as a clipped highlight and erased by the planner's median filter, but a photo's full-resolution
// histograms count it. Meant for 400x300 previews.
inline Colour ColourfulScene(int x, int y) {
  if (x >= 300 && x < 303 && y >= 40 && y < 43) return {1.0, 1.0, 1.0};
  if (y < 150) return x < 200 ? Colour{0.9, 0.45, 0.1} : Colour{0.3, 0.7, 0.25};
  if (y < 280) return x < 200 ? Colour{0.5, 0.2, 0.6} : Colour{0.15, 0.25, 0.75};
  return {0.3, 0.0, 0.02};
}

// `preview` with full-resolution histograms counted from its own pixels, as the renderer counts
// a photo no larger than its base (Preview::histograms: bin = 16-bit value >> 6).
inline Preview WithOwnHistograms(Preview preview) {
  for (auto& channel : preview.histograms) channel.assign(Preview::kHistogramBins, 0);
  for (size_t i = 0; i < preview.rgb.size(); ++i) {
    ++preview.histograms[i % 3][(preview.rgb[i] * 257) >> 6];
  }
  return preview;
}

}  // namespace enhancer::plan_test
