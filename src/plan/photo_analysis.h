// PhotoAnalysis: what the rule planner measures on a Preview before it proposes recipes.
//
// Levels, white reference and colour cast are measured on a 3x3-median-filtered copy of the
// preview, so that isolated noise and the overshoot a resampling filter leaves at edges do not
// count as black or white. Sharpness and noise are measured on the preview itself.
#pragma once

#include <array>
#include <cstdint>

#include "plan/correction.h"
#include "plan/planner.h"

namespace enhancer {

// Where the estimate of "what neutral looks like in this photo" came from.
enum class NeutralSource {
  kNone,              // no trustworthy reference: colours are left as shot
  kClippedHighlight,  // a flat region at the top of all three channels (clipped white, specular)
  kNeutralPixels,     // a cluster of low-chroma pixels near the daylight/tungsten locus
  // Nothing neutral and nothing clipped: the top level of each channel stands in for white
  // (Land's white patch). A weak estimate: only its part along the daylight/tungsten locus is
  // used, and only part of that (see kChannelWhitesWeight in the .cc).
  kChannelWhites,
};

struct PhotoAnalysis {
  int width = 0;
  int height = 0;

  // Levels, gamma-encoded 0..1, measured on the full-resolution histograms when the preview
  // has them (see Preview::histograms): each channel's floor and top, all but the last handful
  // of pixels at either end. Without them the floor is measured on the preview's pixels and the
  // top is `channel_high` (a resized copy's last handful of pixels is the resampler's overshoot,
  // not the photo's). `black` is shared by the channels (the lowest floor): a raised black is
  // flare or a flat conversion and lifts all channels alike. 0 for a high-key photo with no
  // dark tones at all (lowest floor above 0.3).
  double black = 0.0;
  std::array<double, 3> channel_low{0, 0, 0};
  std::array<double, 3> channel_top{1, 1, 1};
  // Each channel's white level on the median-filtered preview (99.98th percentile): where a
  // clipped highlight is looked for.
  std::array<double, 3> channel_high{1, 1, 1};

  // Rec.601 luma of code values, 0..1.
  double luma_low = 0.0;  // 0.5th percentile
  double luma_median = 0.5;
  double luma_high = 1.0;  // 99.5th percentile
  double luma_mean = 0.5;
  double luma_stddev = 0.0;  // global contrast

  // Colour. `illuminant` is the linear-light colour a neutral surface has in this photo,
  // normalised to G = 1, after the black level is removed; (1, 1, 1) when `neutral_source` is
  // kNone. Dividing by it neutralises the cast.
  NeutralSource neutral_source = NeutralSource::kNone;
  std::array<double, 3> illuminant{1, 1, 1};
  double neutral_support = 0.0;  // share of (brightness-weighted) pixels that back the estimate
  // Linear-light level, after black removal and neutralising, of the brightest robust pixels
  // (for neutral pixels, the 99.98th percentile of each pixel's largest channel on the
  // preview; otherwise the highest channel top). 1 means already exposed to white.
  double exposure_white = 1.0;
  double mean_chroma = 0.0;  // mean of (max - min) / max over pixels, 0..1

  // Detail, on the preview's scale.
  // Typical width of the strongest edges, in preview pixels: for a step blurred by a Gaussian
  // of sigma s it is about 1.4 s (sqrt(2) s), with a floor near 0.6 for a perfect step.
  double edge_width = 0.0;
  double noise = 0.0;  // noise standard deviation in flat areas, 8-bit levels

  // Background: the preview's outer 3 % on each side.
  double plain_border = 0.0;  // share of border pixels close to its median colour
  std::array<double, 3> border_colour{0, 0, 0};  // median border colour, gamma-encoded 0..1

  // Per-channel histograms of the median-filtered preview (what the levels were measured on).
  ChannelHistograms histogram{};
};

// Where an illuminant sits in log-chromaticity of linear light, split along the daylight/tungsten
// locus and across it: for prompts and for the looks.
struct CastDirection {
  double warm;     // > 0: warmer (redder) than neutral, < 0: cooler (bluer)
  double magenta;  // > 0: magenta, < 0: green
};
CastDirection DescribeIlluminant(const std::array<double, 3>& illuminant);

// Measures `preview`, which must hold width * height * 3 bytes with both sides >= 1.
// Deterministic: the same pixels give the same analysis.
PhotoAnalysis AnalysePhoto(const Preview& preview);

}  // namespace enhancer
