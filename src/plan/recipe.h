// Recipe: one enhancement of a photo, as a planner proposes it and the renderer applies it.
//
// Every adjustment works on gamma-encoded sRGB values scaled to [0, 1], in this order:
//   levels (black_point..white_point -> 0..1), white_balance gains, gamma, contrast,
//   saturation, denoise, sharpen.
// The identity recipe changes nothing. Planners (local or remote) may propose anything; Clamp()
// brings it within the bounds below before it is rendered or stored.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

struct Recipe {
  std::string name;    // short, lowercase, e.g. "faithful", "bright-airy"
  std::string prompt;  // one line a person can read: what this variant does and why

  double black_point = 0.0;  // [0, 0.4]   input level that becomes black
  double white_point = 1.0;  // [0.6, 1]   input level that becomes white; > black_point + 0.2
  std::array<double, 3> white_balance{1.0, 1.0, 1.0};  // R, G, B gains, each [0.5, 2]
  double gamma = 1.0;        // [0.4, 2.5] out = in^(1/gamma): > 1 brightens the midtones
  double contrast = 1.0;     // [0.5, 1.8] slope around mid-grey (0.5)
  double saturation = 1.0;   // [0, 2]     0 = grey, 1 = unchanged (Rec.601 luma kept)
  double denoise = 0.0;      // [0, 1]     strength of edge-preserving smoothing
  double sharpen = 0.0;      // [0, 2]     unsharp-mask amount, at output resolution
  double sharpen_radius = 1.0;  // [0.5, 3] unsharp-mask Gaussian sigma, in output pixels

  // Measured on the photo when it is rendered (see plan/auto_adjust.h), replacing the numbers
  // above; what was measured is what the rendered recipe records.
  double auto_levels = 0.0;  // [0, 0.05] fraction of pixels clipped at each end of a luma
                             // stretch that sets black_point and white_point; 0 = off
  bool grey_world = false;   // white_balance from grey-world gains on the (stretched) photo
};

// Bounds, shared by Clamp(), the planners' prompts and schemas, and the docs.
struct RecipeBounds {
  static constexpr double kBlackPointMax = 0.4;
  static constexpr double kWhitePointMin = 0.6;
  static constexpr double kMinLevelsRange = 0.2;
  static constexpr double kGainMin = 0.5, kGainMax = 2.0;
  static constexpr double kGammaMin = 0.4, kGammaMax = 2.5;
  static constexpr double kContrastMin = 0.5, kContrastMax = 1.8;
  static constexpr double kSaturationMin = 0.0, kSaturationMax = 2.0;
  static constexpr double kDenoiseMax = 1.0;
  static constexpr double kSharpenMax = 2.0;
  static constexpr double kSharpenRadiusMin = 0.5, kSharpenRadiusMax = 3.0;
  static constexpr double kAutoLevelsMax = 0.05;
  static constexpr size_t kNameMaxBytes = 40;
  static constexpr size_t kPromptMaxBytes = 300;
};

// A copy with every number within bounds (NaN becomes the identity value), the name made a
// lowercase slug ("variant" when empty) and the prompt trimmed to one line.
Recipe Clamp(const Recipe& recipe);

// True when the recipe changes nothing: every adjustment at its identity value, nothing to
// measure. Name and prompt do not count.
bool IsIdentity(const Recipe& recipe);

// JSON with the field names above. FromJson fills missing fields with identity values and
// returns InvalidArgument for malformed JSON or a field of the wrong type; it does not clamp.
std::string ToJson(const Recipe& recipe);
Result<Recipe> RecipeFromJson(std::string_view json);

}  // namespace enhancer
