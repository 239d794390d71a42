#include "plan/rule_planner.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "plan/correction.h"
#include "plan/photo_analysis.h"
#include "plan/srgb.h"

namespace enhancer {
namespace {

constexpr int kMaxCount = 10;

// Below this black level the stretch is treated as exposure (linear light), above it as a flat,
// hazy conversion that levels on encoded values undo (see correction.h).
constexpr double kFlatBlackLevel = 3.0 / 255.0;
// Exposure is not pushed further than this by the faithful correction: a night scene is dark
// on purpose, and 3 stops of gain would show its noise.
constexpr double kMaxExposureGain = 8.0;

// Edge width (preview pixels) above which the photo reads as soft, and the noise level (sigma in
// 8-bit levels) above which it reads as noisy. The faithful correction restores; it sharpens
// only what is visibly soft and smooths only what is visibly noisy.
constexpr double kSoftEdges = 1.2;
constexpr double kVerySoftEdges = 1.8;
constexpr double kNoisy = 2.5;
// Without any neutral reference the brightest pixels are probably not white and the photo may
// be dark on purpose. Exposure is then only ever raised, and only as far as both the old
// metering rule (the median toward 18 % grey) and headroom for the brightest pixels (toward
// this encoded level, not to 1) allow.
constexpr double kUnreferencedWhite = 0.94;
constexpr double kMidGrey = 0.4663;  // 18 % grey, encoded

// A background counts as plain when most of the border is one colour, and as light when that
// colour is brighter than this (encoded luma).
constexpr double kPlainBorderShare = 0.6;
constexpr double kLightBorderLuma = 0.7;

// A look: the measured correction applied `strength` of the way, then styled.
struct Look {
  const char* name;
  const char* headline;  // the start of the prompt
  double strength;       // share of the measured correction (levels, cast, exposure)
  double stops;          // exposure on top of the correction
  double warmth;         // ln(R/B) shift on top of the correction
  double gamma;          // midtone lift (multiplies the fitted gamma)
  double contrast;
  double saturation;
  double sharpen_scale;  // times the faithful sharpening amount
  double sharpen_extra;  // added to it
  double sharpen_radius;
  double denoise_extra;  // added to the faithful denoise
};

// Distinct by construction: no two rows share their styling numbers.
// clang-format off
//                              strength stops warmth gamma contrast saturation sharpen: scale extra radius denoise
constexpr Look kFaithful{"faithful", "",
                                   1.0,  0.0,   0.0, 1.0,  1.0,  1.0,  1.0, 0.0, 1.0, 0.0};
// Second when the photo sits on a light, plain background (the usual product shot).
constexpr Look kHighKey{"high-key", "High-key: background pushed to clean white",
                                   1.0,  0.0,   0.0, 1.04, 1.05, 1.05, 1.0, 0.1, 1.0, 0.0};
// Last, in place of high-key, when there is no such background.
constexpr Look kOpenShadows{"open-shadows", "Open shadows: lifted shadows and midtones, detail kept",
                                   1.0,  0.0,   0.0, 1.25, 0.95, 1.02, 1.0, 0.0, 1.0, 0.0};
constexpr Look kLooks[] = {
    {"bright-airy", "Bright and airy: half a stop more light, gentler contrast",
                                   1.0,  0.5,   0.0, 1.06, 0.9,  0.92, 1.0, 0.0, 1.0, 0.0},
    {"vivid", "Vivid: richer colour and punchier contrast",
                                   1.0,  0.0,   0.0, 1.0,  1.18, 1.3,  1.2, 0.1, 1.0, 0.0},
    {"crisp-detail", "Crisp detail: strong fine-radius sharpening, a touch more contrast",
                                   1.0,  0.0,   0.0, 1.0,  1.08, 1.04, 0.0, 0.9, 0.8, 0.0},
    {"warm", "Warm: keeps some warmth of the light, golden tint",
                                   0.6,  0.1,  0.12, 1.0,  1.0,  1.08, 1.0, 0.0, 1.0, 0.0},
    {"soft-natural", "Soft and natural: half the correction, gentle contrast, smoothed noise",
                                   0.5,  0.0,   0.0, 1.03, 0.92, 0.95, 0.0, 0.0, 1.0, 0.25},
    {"cool", "Cool and clean: crisp whites with a slight blue lean",
                                   1.0,  0.0,  -0.1, 1.0,  1.05, 0.97, 1.0, 0.0, 1.0, 0.0},
    {"dramatic", "Dramatic: deep contrast, darker midtones, stronger colour",
                                   1.0, -0.15,  0.0, 0.92, 1.4,  1.12, 1.0, 0.4, 1.2, 0.0},
    {"muted-matte", "Muted matte: soft blacks, quiet colour",
                                   0.8,  0.1,   0.0, 1.0,  0.82, 0.75, 0.5, 0.0, 1.0, 0.0},
};
// clang-format on

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// "a warm cast", "a blue cast", ... from the illuminant's log-chromaticity.
std::string DescribeCast(const PhotoAnalysis& analysis) {
  if (analysis.neutral_source == NeutralSource::kNone) return "";
  const auto [warm, magenta] = DescribeIlluminant(analysis.illuminant);
  if (std::max(std::abs(warm), std::abs(magenta)) < 0.04) return "";
  const char* strength = std::max(std::abs(warm), std::abs(magenta)) > 0.2 ? "a strong " : "a ";
  if (std::abs(warm) >= std::abs(magenta)) {
    return std::string(strength) + (warm > 0 ? "warm" : "cool blue") + " cast";
  }
  return std::string(strength) + (magenta > 0 ? "magenta" : "green") + " cast";
}

struct Measured {
  PhotoAnalysis analysis;
  Correction correction;  // the faithful one
  double sharpen = 0.0;
  double sharpen_radius = 1.0;
  double denoise = 0.0;
};

Measured Measure(const Preview& preview) {
  Measured m;
  m.analysis = AnalysePhoto(preview);
  const PhotoAnalysis& a = m.analysis;
  m.correction.black = a.black;
  m.correction.linear_light = a.black < kFlatBlackLevel;
  if (a.neutral_source == NeutralSource::kNone ||
      a.neutral_source == NeutralSource::kChannelWhites) {
    // No pixel is known to be white. The balance then never darkens a channel: the channel the
    // light favours keeps its level and the others are raised to it (as a camera's white
    // balance multipliers are normalised), so the brightest level stays where it was and
    // exposure is a separate decision.
    const double favoured = std::max({a.illuminant[0], a.illuminant[1], a.illuminant[2]});
    std::array<double, 3> balance;
    for (int c = 0; c < 3; ++c) balance[c] = favoured / a.illuminant[c];
    constexpr double kLuma[3] = {0.2126, 0.7152, 0.0722};
    const double luma_gain = kLuma[0] * balance[0] + kLuma[1] * balance[1] + kLuma[2] * balance[2];
    const double brightest = std::max(a.exposure_white * favoured, 1e-6);
    const double median =
        std::clamp((a.luma_median - m.correction.black) / (1.0 - m.correction.black), 1e-3, 1.0);
    double exposure =
        std::max(1.0, std::min(SrgbToLinear(kUnreferencedWhite) / brightest,
                               SrgbToLinear(kMidGrey) / (SrgbToLinear(median) * luma_gain)));
    exposure = std::clamp(exposure, 1.0 / kMaxExposureGain, kMaxExposureGain);
    for (int c = 0; c < 3; ++c) m.correction.gains[c] = exposure * balance[c];
  } else {
    const double exposure = std::clamp(1.0 / std::max(a.exposure_white, 1e-6),
                                       1.0 / kMaxExposureGain, kMaxExposureGain);
    for (int c = 0; c < 3; ++c) m.correction.gains[c] = exposure / a.illuminant[c];
  }

  // Sharpen what is soft, less so what is noisy (sharpening amplifies grain); smooth only what
  // is visibly noisy.
  if (a.edge_width > kVerySoftEdges) {
    m.sharpen = 0.6;
    m.sharpen_radius = 1.2;
  } else if (a.edge_width > kSoftEdges) {
    m.sharpen = 0.3;
  }
  if (a.noise > kNoisy) {
    m.denoise = std::clamp((a.noise - kNoisy) / 6.0 + 0.15, 0.0, 0.6);
    m.sharpen *= 0.5;
  }
  return m;
}

// What `recipe` does to this photo, as short phrases: "neutralises a warm cast", ...
std::vector<std::string> Effects(const Measured& m, const Recipe& recipe, double strength) {
  std::vector<std::string> parts;
  const std::string cast = DescribeCast(m.analysis);
  // Channel tops are a weak reference, corrected only in part (see photo_analysis.h).
  const bool partly = strength < 1.0 || m.analysis.neutral_source == NeutralSource::kChannelWhites;
  if (!cast.empty()) parts.push_back((partly ? "softens " : "neutralises ") + cast);
  const bool hazy = m.correction.black > 0.04;
  const double stops = MidtoneStops(recipe);
  if (stops > 0.2) {
    parts.push_back(Format("lifts exposure by about %.1f EV", stops));
  } else if (stops < -0.2 && !hazy) {  // clearing haze darkens midtones; that is not the point
    parts.push_back(Format("brings exposure down by about %.1f EV", -stops));
  }
  if (hazy) parts.push_back("clears the grey haze and restores deep blacks");
  if (recipe.denoise > 0) parts.push_back("reduces noise");
  if (recipe.sharpen >= 0.5) {
    parts.push_back("sharpens the soft detail");
  } else if (recipe.sharpen > 0) {
    parts.push_back("light sharpening");
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string FaithfulPrompt(const Measured& m, const Recipe& recipe) {
  std::string effects = Join(Effects(m, recipe, 1.0));
  if (effects.empty()) {
    return m.analysis.neutral_source == NeutralSource::kNone
               ? "Faithful: nothing neutral to judge colour by and exposure looks right: kept as "
                 "shot"
               : "Faithful: exposure and colour are already balanced, kept as shot";
  }
  effects[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(effects[0])));
  return "Faithful: " + effects;
}

std::string LookPrompt(const Measured& m, const Look& look, const Recipe& recipe) {
  // The look's own sharpening and smoothing are in its headline already.
  Recipe tone_only = recipe;
  tone_only.sharpen = tone_only.denoise = 0;
  const std::string effects = Join(Effects(m, tone_only, look.strength));
  return effects.empty() ? look.headline : std::string(look.headline) + "; " + effects;
}

// The exposure that brings a light, plain background to white after the correction.
double HighKeyStops(const Measured& m) {
  double brightest = 0;
  for (int c = 0; c < 3; ++c) {
    const double x = std::clamp(
        (m.analysis.border_colour[c] - m.correction.black) / (1.0 - m.correction.black), 0.0, 1.0);
    brightest = std::max(brightest, SrgbToLinear(x) * m.correction.gains[c]);
  }
  if (brightest <= 0) return 0;
  return std::clamp(-std::log2(brightest), 0.0, 1.5);
}

Recipe MakeRecipe(const Measured& m, const Look& look, double extra_stops) {
  Correction c = Scaled(m.correction, look.strength);
  c = WithExposure(c, look.stops + extra_stops);
  if (look.warmth != 0) c = WithWarmth(c, look.warmth);
  Recipe base;
  base.name = look.name;
  base.gamma = look.gamma;
  base.contrast = look.contrast;
  base.saturation = look.saturation;
  base.sharpen = m.sharpen * look.sharpen_scale + look.sharpen_extra;
  base.sharpen_radius = look.sharpen_radius * (look.sharpen_scale > 0 ? m.sharpen_radius : 1.0);
  base.denoise = m.denoise > 0 || look.denoise_extra > 0 ? m.denoise + look.denoise_extra : 0.0;
  Recipe recipe = FitRecipe(c, m.analysis.histogram, base);
  return Clamp(recipe);
}

}  // namespace

Result<Plan> RulePlanner::MakePlan(const PlanRequest& request, std::stop_token stop) {
  if (stop.stop_requested()) return CancelledError("planning was stopped");
  if (request.preview == nullptr) return InvalidArgumentError("plan request has no preview");
  const Preview& preview = *request.preview;
  if (preview.width <= 0 || preview.height <= 0 ||
      preview.rgb.size() != static_cast<size_t>(preview.width) * preview.height * 3) {
    return InvalidArgumentError("preview pixels do not match its size " +
                                std::to_string(preview.width) + "x" +
                                std::to_string(preview.height));
  }
  if (request.count < 1 || request.count > kMaxCount) {
    return InvalidArgumentError("count must be between 1 and " + std::to_string(kMaxCount) +
                                ", got " + std::to_string(request.count));
  }

  const Measured m = Measure(preview);
  const PhotoAnalysis& a = m.analysis;
  const bool light_plain_background =
      a.plain_border >= kPlainBorderShare &&
      0.299 * a.border_colour[0] + 0.587 * a.border_colour[1] + 0.114 * a.border_colour[2] >=
          kLightBorderLuma;

  Plan plan;
  plan.planner = "local";
  Recipe faithful = MakeRecipe(m, kFaithful, 0.0);
  faithful.prompt = FaithfulPrompt(m, faithful);
  plan.recipes.push_back(Clamp(faithful));

  std::vector<std::pair<const Look*, double>> looks;  // look, extra stops
  if (light_plain_background) looks.push_back({&kHighKey, HighKeyStops(m)});
  for (const Look& look : kLooks) looks.push_back({&look, 0.0});
  if (!light_plain_background) looks.push_back({&kOpenShadows, 0.0});

  for (size_t i = 0; static_cast<int>(plan.recipes.size()) < request.count && i < looks.size();
       ++i) {
    Recipe recipe = MakeRecipe(m, *looks[i].first, looks[i].second);
    recipe.prompt = LookPrompt(m, *looks[i].first, recipe);
    plan.recipes.push_back(Clamp(recipe));
  }

  switch (a.neutral_source) {
    case NeutralSource::kNone:
      plan.note = "no neutral reference found in the photo: colours kept as shot";
      break;
    case NeutralSource::kNeutralPixels:
      plan.note = "colour balance estimated from near-neutral pixels";
      break;
    case NeutralSource::kChannelWhites:
      plan.note =
          "no neutral reference found in the photo: colour balance estimated from the brightest "
          "level of each channel, and only partly corrected";
      break;
    case NeutralSource::kClippedHighlight:
      break;
  }
  return plan;
}

}  // namespace enhancer
