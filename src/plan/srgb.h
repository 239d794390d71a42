// sRGB transfer function: gamma-encoded code values (0..1) to linear light and back.
//
// The planner models exposure and white balance the way a camera does, as gains in linear light,
// and then expresses them as a Recipe, which works on gamma-encoded values.
#pragma once

#include <algorithm>
#include <cmath>

namespace enhancer {

inline double SrgbToLinear(double v) {
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

inline double LinearToSrgb(double v) {
  v = std::clamp(v, 0.0, 1.0);
  return v <= 0.0031308 ? v * 12.92 : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
}

}  // namespace enhancer
