#include "plan/photo_analysis.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "plan/srgb.h"

namespace enhancer {
namespace {

// The white level of each channel is its 99.98th percentile on the median-filtered preview:
// close to the true top (a clipped region of a few dozen pixels counts) but blind to specks and
// to the resampler's overshoot next to clipped highlights.
constexpr double kExtremeQuantile = 0.0002;
// A floor up to this is haze or a flat conversion lifting the blacks; a photo whose darkest
// pixels are lighter than this has no black in it at all (high-key) and keeps its tones.
constexpr double kMaxHazeBlack = 0.3;
// The floor of each channel looks further out, to the last handful of pixels of the unfiltered
// preview: a black set a few levels too high crushes every shadow of a dark photo, and small
// dark details are real (the median filter would erase them). Undershoot of the resampler next
// to clipped shadows is recognised instead: a pile-up of pixels at one level with only a thin
// fringe below it means the pile-up is the true black.
constexpr double kFloorQuantile = 0.00002;
constexpr int kSnapDistance = 6;         // how far below a pile-up the fringe may reach
constexpr double kPileMinShare = 0.002;  // a pile-up holds at least this share of the pixels
constexpr double kFringeMaxRatio = 0.1;  // and at least 10x the pixels of the fringe below it

// A clipped highlight is a flat region at the top of every channel: at least this share of the
// pixels within kPlateauTolerance levels of all three white levels at once, and at least
// kPlateauSpike times as many as in the band just below (a smooth bright surface tapers off
// instead).
constexpr double kPlateauMinShare = 0.0003;
constexpr int kPlateauMinPixels = 8;
constexpr int kPlateauTolerance = 2;
constexpr double kPlateauSpike = 2.0;
constexpr int kPlateauMinLevel = 64;

// Neutral-pixel search, in log-chromaticity of linear light: u = ln(R/G), v = ln(B/G). A cast
// from the light source moves every pixel by the same (u, v). Candidates lie in a band around
// the daylight/tungsten locus (warm-cool axis), not anywhere: a green or purple "cast" is far
// more often a green or purple object.
constexpr double kChromaBin = 0.01;
constexpr double kChromaRange = 1.5;  // |u|, |v| covered by the histogram
constexpr int kChromaBins = static_cast<int>(2 * kChromaRange / kChromaBin);
constexpr int kClusterRadiusBins = 6;    // box half-width of the density search
constexpr double kClusterRadius = 0.06;  // pixels within this (Chebyshev) distance are "neutral"
// Unit vector along (1, -1.65): the direction in which Planckian light sources from 3200 K to
// 10000 K move away from D65 in these coordinates (computed from their CIE xy coordinates).
constexpr double kLocusU = 0.5183, kLocusV = -0.8552;
constexpr double kMaxCastAlongLocus = 0.9;  // about 2.5x between R and B: a strong tungsten cast
constexpr double kMaxTintAcrossLocus = 0.12;
constexpr double kMaxClippedTint = 0.2;
// A clipped highlight's colour is a noisy reading of the light: cameras often clip one channel
// a little below the others, which looks like a green or magenta tint. Light sources vary much
// more along the locus than across it, so the across-locus part of the reading is halved (the
// estimate that weighs a locus prior and the reading equally).
constexpr double kClippedTintWeight = 0.5;
// Below this share of brightness-weighted pixels the estimate is too weak to act on.
constexpr double kMinNeutralSupport = 0.10;

// The top of each channel is the level all but this share of the full-resolution pixels stay
// at or below: a handful of pixels, as for the floor. A photo's brightest few pixels are often
// its only white (a specular glint), and the full-resolution histograms keep them.
constexpr double kTopQuantile = 0.00002;
// Channel tops stand in for white only when they look like a light: within the cast band
// along the locus, within this much across it, and bright enough to carry a colour.
constexpr double kMaxChannelWhitesTint = 0.3;
// How much of the channel tops' cast is believed. The tops are white only if the brightest
// thing in each channel is: the estimate is weighed against the prior that there is no cast
// (a shrinkage estimate), so a warm photo is cooled a little rather than pushed to grey.
constexpr double kChannelWhitesWeight = 0.6;

// Full-resolution histograms: Preview::kHistogramBins bins per channel, 16-bit values >> 6.
constexpr int kBins = Preview::kHistogramBins;
constexpr int kBinsPerLevel = kBins / 256;  // bins per 8-bit level (about)
using FineHistogram = std::vector<uint32_t>;
using FineHistograms = std::array<FineHistogram, 3>;

constexpr double kBorderShare = 0.03;
constexpr int kPlainTolerance = 12;

struct Rgb {
  int r, g, b;
};

int Luma601(int r, int g, int b) { return (299 * r + 587 * g + 114 * b + 500) / 1000; }

// Smallest bin (level) with at least q of the pixels at or below it.
template <typename Histogram>
int Quantile(const Histogram& histogram, double q) {
  const int bins = static_cast<int>(histogram.size());
  uint64_t total = 0;
  for (uint32_t count : histogram) total += count;
  const double target = std::max(1.0, std::ceil(q * static_cast<double>(total)));
  uint64_t seen = 0;
  for (int v = 0; v < bins; ++v) {
    seen += histogram[v];
    if (static_cast<double>(seen) >= target) return v;
  }
  return bins - 1;
}

// The bin an 8-bit level falls in, binned as the renderer bins 16-bit values (v * 257 >> 6).
int BinOf(int level) { return (level * 257) >> 6; }

// The encoded level (0..1) a bin stands for: its middle, and exactly 0 or 1 at the ends, where
// clipped values sit.
double BinLevel(int bin) {
  if (bin <= 0) return 0.0;
  if (bin >= kBins - 1) return 1.0;
  return (bin * 64.0 + 32.0) / 65535.0;
}

bool HasFullResolutionHistograms(const Preview& preview) {
  const auto& given = preview.histograms;
  return given[0].size() == kBins && given[1].size() == kBins && given[2].size() == kBins;
}

// The preview's full-resolution histograms, or, when it has none, its own pixels counted alike.
FineHistograms FullResolutionHistograms(const Preview& preview) {
  if (HasFullResolutionHistograms(preview)) return preview.histograms;
  FineHistograms counted;
  for (FineHistogram& channel : counted) channel.assign(kBins, 0);
  for (size_t i = 0; i < preview.rgb.size(); ++i) ++counted[i % 3][BinOf(preview.rgb[i])];
  return counted;
}

// The floor of one channel (a bin), snapped to a pile-up as above.
int Floor(const FineHistogram& histogram) {
  uint64_t total = 0;
  for (uint32_t count : histogram) total += count;
  const int floor = Quantile(histogram, kFloorQuantile);
  uint64_t fringe = 0;  // pixels below the bin looked at, including those below the floor
  for (int v = 0; v < floor; ++v) fringe += histogram[v];
  for (int v = floor; v <= std::min(kBins - 1, floor + kSnapDistance * kBinsPerLevel); ++v) {
    const double pile = histogram[v];
    if (pile >= kPileMinShare * static_cast<double>(total) &&
        static_cast<double>(fringe) <= kFringeMaxRatio * pile) {
      return v;
    }
    fringe += histogram[v];
  }
  return floor;
}

// Encoded level to linear light after removing the shared black level.
double Linear(double encoded, double black) {
  return SrgbToLinear(std::clamp((encoded - black) / (1.0 - black), 0.0, 1.0));
}

std::vector<uint8_t> Median3x3(const Preview& preview) {
  const int w = preview.width, h = preview.height;
  std::vector<uint8_t> out(preview.rgb.size());
  uint8_t window[9];
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        int k = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          const int yy = std::clamp(y + dy, 0, h - 1);
          for (int dx = -1; dx <= 1; ++dx) {
            const int xx = std::clamp(x + dx, 0, w - 1);
            window[k++] = preview.rgb[(static_cast<size_t>(yy) * w + xx) * 3 + c];
          }
        }
        std::nth_element(window, window + 4, window + 9);
        out[(static_cast<size_t>(y) * w + x) * 3 + c] = window[4];
      }
    }
  }
  return out;
}

// Linear light after removing the shared black level.
struct LinearTable {
  explicit LinearTable(double black) {
    for (int v = 0; v < 256; ++v) {
      const double x = std::clamp((v / 255.0 - black) / (1.0 - black), 0.0, 1.0);
      value[v] = SrgbToLinear(x);
    }
  }
  std::array<double, 256> value;
};

bool InCastBand(double u, double v, double max_tint) {
  const double along = u * kLocusU + v * kLocusV;
  const double across = -u * kLocusV + v * kLocusU;
  return std::abs(along) <= kMaxCastAlongLocus && std::abs(across) <= max_tint;
}

struct NeutralEstimate {
  NeutralSource source = NeutralSource::kNone;
  std::array<double, 3> illuminant{1, 1, 1};
  double support = 0.0;
  double white = 0.0;  // clipped highlight only: green's white level, linear light
};

// A flat region at the top of all channels: clipped white or a specular highlight. It is the
// strongest evidence a photo can carry that the tops of its channels are white. `high` holds
// the channels' 99.98th percentiles on the median-filtered preview: where the plateau is looked
// for. White is the plateau's level in each channel, or the channel's top where the channel
// goes higher elsewhere: a highlight with one channel below that channel's own top did not
// clip in it, and keeps its tint (a cyan glint is not evidence of a red cast).
NeutralEstimate FindClippedHighlight(const std::vector<uint8_t>& px, const Rgb& high,
                                     const std::array<double, 3>& top, double black) {
  NeutralEstimate none;
  if (std::min({high.r, high.g, high.b}) < kPlateauMinLevel) return none;
  const size_t n = px.size() / 3;
  size_t plateau = 0, below = 0;
  for (size_t i = 0; i < n; ++i) {
    const int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
    const int d = std::max({std::abs(r - high.r), std::abs(g - high.g), std::abs(b - high.b)});
    if (d <= kPlateauTolerance) {
      ++plateau;
    } else if (r <= high.r - 3 && g <= high.g - 3 && b <= high.b - 3 && r >= high.r - 10 &&
               g >= high.g - 10 && b >= high.b - 10) {
      ++below;
    }
  }
  const double min_count = std::max<double>(kPlateauMinPixels, kPlateauMinShare * n);
  if (static_cast<double>(plateau) < min_count ||
      static_cast<double>(plateau) < kPlateauSpike * below) {
    return none;
  }
  const double lr = Linear(std::max(high.r / 255.0, top[0]), black);
  const double lg = Linear(std::max(high.g / 255.0, top[1]), black);
  const double lb = Linear(std::max(high.b / 255.0, top[2]), black);
  if (lr <= 0 || lg <= 0 || lb <= 0) return none;
  const double u = std::log(lr / lg), v = std::log(lb / lg);
  if (!InCastBand(u, v, kMaxClippedTint)) return none;
  const double along = u * kLocusU + v * kLocusV;
  const double across = (-u * kLocusV + v * kLocusU) * kClippedTintWeight;
  const double eu = along * kLocusU - across * kLocusV, ev = along * kLocusV + across * kLocusU;
  return {NeutralSource::kClippedHighlight,
          {std::exp(eu), 1.0, std::exp(ev)},
          static_cast<double>(plateau) / static_cast<double>(n),
          lg};
}

// Nothing neutral and nothing clipped: the top of each channel stands in for white. Only the
// part of its colour along the locus is kept (a light varies along it; the tops' tint across it
// is more likely the subject's), and only kChannelWhitesWeight of that.
NeutralEstimate FromChannelTops(const std::array<double, 3>& top, double black) {
  NeutralEstimate none;
  if (std::max({top[0], top[1], top[2]}) < kPlateauMinLevel / 255.0) return none;
  const double lr = Linear(top[0], black), lg = Linear(top[1], black), lb = Linear(top[2], black);
  if (std::min({lr, lg, lb}) <= 1e-4) return none;
  const double u = std::log(lr / lg), v = std::log(lb / lg);
  if (!InCastBand(u, v, kMaxChannelWhitesTint)) return none;
  const double along = (u * kLocusU + v * kLocusV) * kChannelWhitesWeight;
  return {NeutralSource::kChannelWhites,
          {std::exp(along * kLocusU), 1.0, std::exp(along * kLocusV)},
          0.0};
}

// The densest cluster of (brightness-weighted) chromaticities within the cast band, refined to
// its weighted mean. Brighter pixels count more: white and light-grey surfaces are the ones
// most likely to be neutral, and their colour is least disturbed by noise and black level.
NeutralEstimate FindNeutralPixels(const std::vector<uint8_t>& px, const LinearTable& linear) {
  struct Sample {
    double u, v, weight;
  };
  std::vector<Sample> samples;
  samples.reserve(px.size() / 3);
  double total_weight = 0;
  for (size_t i = 0; i + 2 < px.size(); i += 3) {
    if (px[i] >= 254 && px[i + 1] >= 254 && px[i + 2] >= 254) continue;  // no colour left
    const double r = linear.value[px[i]], g = linear.value[px[i + 1]], b = linear.value[px[i + 2]];
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    if (y <= 0.02 || std::min({r, g, b}) <= 1e-3) continue;  // too dark to tell colour from noise
    const double weight = y * y;
    samples.push_back({std::log(r / g), std::log(b / g), weight});
    total_weight += weight;
  }
  NeutralEstimate none;
  if (samples.empty() || total_weight <= 0) return none;

  // Summed-area table of the weighted 2-D histogram, so each candidate's box is O(1).
  const int nb = kChromaBins;
  std::vector<double> sat(static_cast<size_t>(nb + 1) * (nb + 1), 0.0);
  auto at = [&](int i, int j) -> double& { return sat[static_cast<size_t>(i) * (nb + 1) + j]; };
  auto bin = [&](double c) {
    return std::clamp(static_cast<int>((c + kChromaRange) / kChromaBin), 0, nb - 1);
  };
  for (const Sample& s : samples) at(bin(s.u) + 1, bin(s.v) + 1) += s.weight;
  for (int i = 1; i <= nb; ++i) {
    for (int j = 1; j <= nb; ++j) at(i, j) += at(i - 1, j) + at(i, j - 1) - at(i - 1, j - 1);
  }
  double best_score = -1;
  double best_u = 0, best_v = 0;
  for (int i = 0; i < nb; ++i) {
    const double u = (i + 0.5) * kChromaBin - kChromaRange;
    for (int j = 0; j < nb; ++j) {
      const double v = (j + 0.5) * kChromaBin - kChromaRange;
      if (!InCastBand(u, v, kMaxTintAcrossLocus)) continue;
      const int i0 = std::max(0, i - kClusterRadiusBins),
                i1 = std::min(nb, i + kClusterRadiusBins + 1);
      const int j0 = std::max(0, j - kClusterRadiusBins),
                j1 = std::min(nb, j + kClusterRadiusBins + 1);
      const double score = at(i1, j1) - at(i0, j1) - at(i1, j0) + at(i0, j0);
      // Strictly greater: ties keep the first candidate, so the result is deterministic.
      if (score > best_score) {
        best_score = score;
        best_u = u;
        best_v = v;
      }
    }
  }
  if (best_score <= 0) return none;

  double u = best_u, v = best_v, in_weight = 0;
  for (int iteration = 0; iteration < 3; ++iteration) {
    double su = 0, sv = 0, sw = 0;
    for (const Sample& s : samples) {
      if (std::max(std::abs(s.u - u), std::abs(s.v - v)) < kClusterRadius) {
        su += s.u * s.weight;
        sv += s.v * s.weight;
        sw += s.weight;
      }
    }
    if (sw <= 0) break;
    u = su / sw;
    v = sv / sw;
    in_weight = sw;
  }
  const double support = in_weight / total_weight;
  if (support < kMinNeutralSupport || !InCastBand(u, v, kMaxTintAcrossLocus)) return none;
  return {NeutralSource::kNeutralPixels, {std::exp(u), 1.0, std::exp(v)}, support};
}

// How bright the brightest robust pixels are once the cast is removed: the 99.98th percentile
// of each pixel's largest channel, in linear light.
double BrightestLevel(const std::vector<uint8_t>& px, const LinearTable& linear,
                      const std::array<double, 3>& illuminant) {
  const size_t n = px.size() / 3;
  std::vector<double> brightest(n);
  for (size_t i = 0; i < n; ++i) {
    double m = 0;
    for (int c = 0; c < 3; ++c) m = std::max(m, linear.value[px[3 * i + c]] / illuminant[c]);
    brightest[i] = m;
  }
  const size_t rank = std::min(
      n - 1, static_cast<size_t>(std::ceil((1.0 - kExtremeQuantile) * static_cast<double>(n))) - 1);
  std::nth_element(brightest.begin(), brightest.begin() + rank, brightest.end());
  return brightest[rank];
}

void MeasureDetail(const Preview& preview, PhotoAnalysis& out) {
  const int w = preview.width, h = preview.height;
  if (w < 3 || h < 3) return;
  std::vector<double> luma(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < luma.size(); ++i) {
    luma[i] = 0.299 * preview.rgb[3 * i] + 0.587 * preview.rgb[3 * i + 1] +
              0.114 * preview.rgb[3 * i + 2];
  }
  auto l = [&](int x, int y) { return luma[static_cast<size_t>(y) * w + x]; };
  struct Local {
    double gradient2;  // squared gradient magnitude, (levels / pixel)^2
    double laplacian2;
    double noise;  // |Immerkaer response|
  };
  std::vector<Local> local;
  local.reserve(static_cast<size_t>(w - 2) * (h - 2));
  for (int y = 1; y < h - 1; ++y) {
    for (int x = 1; x < w - 1; ++x) {
      const double lap = l(x - 1, y) + l(x + 1, y) + l(x, y - 1) + l(x, y + 1) - 4 * l(x, y);
      const double gx = ((l(x + 1, y - 1) + 2 * l(x + 1, y) + l(x + 1, y + 1)) -
                         (l(x - 1, y - 1) + 2 * l(x - 1, y) + l(x - 1, y + 1))) /
                        8.0;
      const double gy = ((l(x - 1, y + 1) + 2 * l(x, y + 1) + l(x + 1, y + 1)) -
                         (l(x - 1, y - 1) + 2 * l(x, y - 1) + l(x + 1, y - 1))) /
                        8.0;
      // Immerkaer's mask: the difference of two Laplacians, blind to gradients and edges of
      // first order, so in flat areas it sees noise only.
      const double response = l(x - 1, y - 1) - 2 * l(x, y - 1) + l(x + 1, y - 1) -
                              2 * l(x - 1, y) + 4 * l(x, y) - 2 * l(x + 1, y) + l(x - 1, y + 1) -
                              2 * l(x, y + 1) + l(x + 1, y + 1);
      local.push_back({gx * gx + gy * gy, lap * lap, std::abs(response)});
    }
  }
  auto by_gradient = [](const Local& a, const Local& b) { return a.gradient2 < b.gradient2; };

  // Edge width: on a step edge blurred by a Gaussian of sigma s, gradient energy over
  // Laplacian energy is 2 s^2, whatever the edge's contrast. Measured on the strongest 10 % of
  // gradients, where edges dominate and noise does not.
  const size_t edges = std::max<size_t>(1, local.size() / 10);
  std::nth_element(local.begin(), local.end() - edges, local.end(), by_gradient);
  double gradient_energy = 0, laplacian_energy = 0;
  for (size_t i = local.size() - edges; i < local.size(); ++i) {
    gradient_energy += local[i].gradient2;
    laplacian_energy += local[i].laplacian2;
  }
  out.edge_width = laplacian_energy > 0 ? std::sqrt(gradient_energy / laplacian_energy) : 0.0;

  // Noise: the flattest 30 % of the pixels stand for "flat areas".
  const size_t flat = std::max<size_t>(1, local.size() * 3 / 10);
  std::nth_element(local.begin(), local.begin() + (flat - 1), local.end(), by_gradient);
  double noise_sum = 0;
  for (size_t i = 0; i < flat; ++i) noise_sum += local[i].noise;
  out.noise = std::sqrt(M_PI / 2.0) / 6.0 * noise_sum / static_cast<double>(flat);
}

void MeasureBorder(const Preview& preview, PhotoAnalysis& out) {
  const int w = preview.width, h = preview.height;
  const int band = std::max(1, static_cast<int>(std::lround(kBorderShare * std::min(w, h))));
  std::array<std::array<uint32_t, 256>, 3> histogram{};
  std::vector<Rgb> border;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (x >= band && x < w - band && y >= band && y < h - band) continue;
      const uint8_t* p = &preview.rgb[(static_cast<size_t>(y) * w + x) * 3];
      border.push_back({p[0], p[1], p[2]});
      for (int c = 0; c < 3; ++c) ++histogram[c][p[c]];
    }
  }
  const Rgb median{Quantile(histogram[0], 0.5), Quantile(histogram[1], 0.5),
                   Quantile(histogram[2], 0.5)};
  size_t plain = 0;
  for (const Rgb& p : border) {
    const int d =
        std::max({std::abs(p.r - median.r), std::abs(p.g - median.g), std::abs(p.b - median.b)});
    if (d <= kPlainTolerance) ++plain;
  }
  out.plain_border = static_cast<double>(plain) / static_cast<double>(border.size());
  out.border_colour = {median.r / 255.0, median.g / 255.0, median.b / 255.0};
}

}  // namespace

CastDirection DescribeIlluminant(const std::array<double, 3>& illuminant) {
  const double u = std::log(illuminant[0] / illuminant[1]);
  const double v = std::log(illuminant[2] / illuminant[1]);
  return {u * kLocusU + v * kLocusV, -u * kLocusV + v * kLocusU};
}

PhotoAnalysis AnalysePhoto(const Preview& preview) {
  assert(preview.width > 0 && preview.height > 0);
  assert(preview.rgb.size() == static_cast<size_t>(preview.width) * preview.height * 3);
  PhotoAnalysis out;
  out.width = preview.width;
  out.height = preview.height;

  const std::vector<uint8_t> px = Median3x3(preview);
  const size_t n = px.size() / 3;
  const FineHistograms fine = FullResolutionHistograms(preview);
  std::array<uint32_t, 256> luma_histogram{};
  double luma_sum = 0, luma_sum2 = 0, chroma_sum = 0;
  size_t chroma_count = 0;
  for (size_t i = 0; i < n; ++i) {
    const int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
    ++out.histogram[0][r];
    ++out.histogram[1][g];
    ++out.histogram[2][b];
    const int y = Luma601(r, g, b);
    ++luma_histogram[y];
    luma_sum += y;
    luma_sum2 += static_cast<double>(y) * y;
    const int hi = std::max({r, g, b}), lo = std::min({r, g, b});
    if (hi >= 16) {
      chroma_sum += static_cast<double>(hi - lo) / hi;
      ++chroma_count;
    }
  }
  Rgb high{};
  int* highs[] = {&high.r, &high.g, &high.b};
  for (int c = 0; c < 3; ++c) {
    *highs[c] = Quantile(out.histogram[c], 1.0 - kExtremeQuantile);
    out.channel_high[c] = *highs[c] / 255.0;
    out.channel_low[c] = BinLevel(Floor(fine[c]));
    // Without the photo's own pixels the handful at the top is not known: the preview's
    // brightest pixels are in part the resampler's fringe, and only the median-filtered level
    // is trusted.
    out.channel_top[c] = HasFullResolutionHistograms(preview)
                             ? BinLevel(Quantile(fine[c], 1.0 - kTopQuantile))
                             : out.channel_high[c];
  }
  out.black = std::min({out.channel_low[0], out.channel_low[1], out.channel_low[2]});
  if (out.black > kMaxHazeBlack) out.black = 0.0;
  out.luma_low = Quantile(luma_histogram, 0.005) / 255.0;
  out.luma_median = Quantile(luma_histogram, 0.5) / 255.0;
  out.luma_high = Quantile(luma_histogram, 0.995) / 255.0;
  out.luma_mean = luma_sum / n / 255.0;
  out.luma_stddev =
      std::sqrt(std::max(0.0, luma_sum2 / n - (luma_sum / n) * (luma_sum / n))) / 255.0;
  out.mean_chroma = chroma_count ? chroma_sum / chroma_count : 0.0;

  const LinearTable linear(out.black);
  NeutralEstimate neutral = FindClippedHighlight(px, high, out.channel_top, out.black);
  if (neutral.source == NeutralSource::kNone) neutral = FindNeutralPixels(px, linear);
  // The tops stand in for white only when they are the photo's own brightest pixels: at full
  // resolution a specular glint, which reflects the light's own colour, sets them. The
  // preview's median-filtered tops are the brightest surfaces instead, and carry their colour.
  if (neutral.source == NeutralSource::kNone && HasFullResolutionHistograms(preview)) {
    neutral = FromChannelTops(out.channel_top, out.black);
  }
  out.neutral_source = neutral.source;
  out.illuminant = neutral.illuminant;
  out.neutral_support = neutral.support;
  switch (neutral.source) {
    case NeutralSource::kClippedHighlight:
      // The clipped highlight is white: each channel's white level maps to 1 exactly.
      out.exposure_white = neutral.white;
      break;
    case NeutralSource::kNeutralPixels:
      out.exposure_white = BrightestLevel(px, linear, out.illuminant);
      break;
    case NeutralSource::kNone:
    case NeutralSource::kChannelWhites:
      // No pixel is known to be white: the brightest level any channel reaches, at full
      // resolution, where a glint of a few pixels still counts.
      out.exposure_white = 0.0;
      for (int c = 0; c < 3; ++c) {
        out.exposure_white =
            std::max(out.exposure_white, Linear(out.channel_top[c], out.black) / out.illuminant[c]);
      }
      break;
  }
  MeasureDetail(preview, out);
  MeasureBorder(preview, out);
  return out;
}

}  // namespace enhancer
