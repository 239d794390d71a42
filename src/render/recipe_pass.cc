#include "render/recipe_pass.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "plan/tone_curve.h"

namespace enhancer::render {
namespace {

// Output rows per band: enough that the rows recomputed for the neighbourhood above and below
// (3 sigma of each blur) are a small share, few enough that a band of a 1600-px row stays in
// the L2 cache.
constexpr int kBandRows = 32;

// The tone table is indexed by the top 12 bits of the 16-bit value: a sixteenth of an 8-bit
// level, far below what the eye or the final rounding can tell, in 48 KiB instead of 768.
constexpr int kToneShift = 4;
constexpr int kToneEntries = 65536 >> kToneShift;

// The slope of the denoise weight: differences above this many 8-bit levels are edges or
// texture and left alone. Both grow with the strength.
double DenoiseSigma(double strength) { return 0.7 + 1.3 * strength; }
double DenoiseThreshold(double strength) { return 6.0 + 24.0 * strength; }

std::vector<float> GaussianTaps(double sigma) {
  const int radius = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
  std::vector<float> taps(2 * radius + 1);
  double sum = 0;
  std::vector<double> weights(taps.size());
  for (int k = -radius; k <= radius; ++k) {
    weights[k + radius] = std::exp(-(k * k) / (2.0 * sigma * sigma));
    sum += weights[k + radius];
  }
  for (size_t i = 0; i < taps.size(); ++i) taps[i] = static_cast<float>(weights[i] / sum);
  return taps;
}

int Radius(const std::vector<float>& taps) { return static_cast<int>(taps.size()) / 2; }

// Rows of interleaved RGB floats with `margin` pixels on either side, which ReplicateEdges
// fills with copies of the first and last pixel so that horizontal filters need no edge cases.
class Rows {
 public:
  Rows(int width, int margin, int count)
      : width_(width),
        margin_(margin),
        stride_(static_cast<size_t>(width + 2 * margin) * 3),
        data_(stride_ * std::max(count, 1)) {}

  float* operator[](int row) { return Padded(row) + margin_ * 3; }  // pixel 0 of the row
  float* Padded(int row) { return data_.data() + stride_ * row; }   // first margin sample
  size_t stride() const { return stride_; }

  void ReplicateEdges(int row) {
    float* p = (*this)[row];
    for (int m = 1; m <= margin_; ++m) {
      for (int c = 0; c < 3; ++c) {
        p[-3 * m + c] = p[c];
        p[3 * (width_ - 1 + m) + c] = p[3 * (width_ - 1) + c];
      }
    }
  }

 private:
  const int width_;
  const int margin_;
  const size_t stride_;
  std::vector<float> data_;
};

struct Plan {
  std::array<std::vector<float>, 3> tone;  // per channel, kToneEntries values in [0, 255]
  bool saturate = false;
  float saturation = 1.0f;
  std::vector<float> denoise_taps;  // empty: no denoise
  float denoise_strength = 0, denoise_slope = 0;
  std::vector<float> sharpen_taps;  // empty: no sharpening
  float sharpen_amount = 0;
};

Plan MakePlan(const Recipe& recipe) {
  Plan plan;
  for (int c = 0; c < 3; ++c) {
    plan.tone[c].resize(kToneEntries);
    for (int i = 0; i < kToneEntries; ++i) {
      // The centre of the 16-bit values that share this entry.
      const double x = (i * (1 << kToneShift) + ((1 << kToneShift) - 1) / 2.0) / 65535.0;
      plan.tone[c][i] = static_cast<float>(255.0 * ToneCurve(recipe, c, std::min(x, 1.0)));
    }
  }
  plan.saturate = recipe.saturation != 1.0;
  plan.saturation = static_cast<float>(recipe.saturation);
  if (recipe.denoise > 0) {
    plan.denoise_taps = GaussianTaps(DenoiseSigma(recipe.denoise));
    plan.denoise_strength = static_cast<float>(recipe.denoise);
    plan.denoise_slope = static_cast<float>(recipe.denoise / DenoiseThreshold(recipe.denoise));
  }
  if (recipe.sharpen > 0) {
    plan.sharpen_taps = GaussianTaps(recipe.sharpen_radius);
    plan.sharpen_amount = static_cast<float>(recipe.sharpen);
  }
  return plan;
}

// The hot loops. They are written so that the compiler vectorises them (independent outputs,
// unit stride, no branches: std::min and std::max rather than std::clamp, whose references
// compile to jumps), and built twice, for AVX2 and for any x86-64, the better one chosen at
// start.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ENHANCER_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ENHANCER_VECTOR_CLONES
#endif

[[gnu::always_inline]] inline float Clip(float v) { return std::min(std::max(v, 0.0f), 255.0f); }

// To the nearest 8-bit level (halves up), through int: float to byte directly does not vectorise.
[[gnu::always_inline]] inline uint8_t Round8(float v) {
  return static_cast<uint8_t>(static_cast<int>(Clip(v) + 0.5f));
}

[[gnu::always_inline]] inline void ToneRow(const uint16_t* source, int width, const Plan& plan,
                                           float* out) {
  const float* r_table = plan.tone[0].data();
  const float* g_table = plan.tone[1].data();
  const float* b_table = plan.tone[2].data();
  for (int x = 0; x < width; ++x) {
    out[3 * x] = r_table[source[3 * x] >> kToneShift];
    out[3 * x + 1] = g_table[source[3 * x + 1] >> kToneShift];
    out[3 * x + 2] = b_table[source[3 * x + 2] >> kToneShift];
  }
  if (!plan.saturate) return;
  const float s = plan.saturation;
  for (int x = 0; x < width; ++x) {
    const float r = out[3 * x], g = out[3 * x + 1], b = out[3 * x + 2];
    const float y = 0.299f * r + 0.587f * g + 0.114f * b;
    out[3 * x] = Clip(y + s * (r - y));
    out[3 * x + 1] = Clip(y + s * (g - y));
    out[3 * x + 2] = Clip(y + s * (b - y));
  }
}

// One output row of each pass of a Gaussian of radius R, every tap summed in a register and
// stored once (not R accumulation passes over memory). R is a template argument so that the
// taps unroll and the loop over the row vectorises.
template <int R>
[[gnu::always_inline]] inline void VerticalTaps(const float* const* rows, const float* w,
                                                size_t n, float* __restrict out) {
  const float* r[2 * R + 1];
  for (int k = 0; k <= 2 * R; ++k) r[k] = rows[k];
  for (size_t i = 0; i < n; ++i) {
    float sum = w[0] * r[0][i];
    for (int k = 1; k <= 2 * R; ++k) sum += w[k] * r[k][i];
    out[i] = sum;
  }
}

template <int R>
[[gnu::always_inline]] inline void HorizontalTaps(const float* centre, const float* w, int n,
                                                  float* __restrict out) {
  for (int i = 0; i < n; ++i) {
    float sum = w[0] * centre[i - 3 * R];
    for (int k = 1; k <= 2 * R; ++k) sum += w[k] * centre[i + 3 * (k - R)];
    out[i] = sum;
  }
}

template <int R>
[[gnu::always_inline]] inline void BlurRowsOfRadius(Rows& in, int first, int count,
                                                    const float* w, int width,
                                                    std::vector<float>& column, Rows& out) {
  const size_t padded = in.stride();
  const int samples = width * 3;
  const float* rows[2 * R + 1];
  for (int row = first; row < first + count; ++row) {
    for (int k = 0; k <= 2 * R; ++k) rows[k] = in.Padded(row - R + k);
    VerticalTaps<R>(rows, w, padded, column.data());
    HorizontalTaps<R>(column.data() + (padded - samples) / 2, w, samples, out[row]);
  }
}

// Blurs rows [first, first + count) of `out` from rows [first - r, first + count + r) of `in`
// (whose margins are filled): vertically into `column`, then horizontally. Radii are 1 to 9
// (sigma up to 3, GaussianTaps).
[[gnu::always_inline]] inline void BlurRows(Rows& in, int first, int count,
                                            const std::vector<float>& taps, int width,
                                            std::vector<float>& column, Rows& out) {
  const float* w = taps.data();
  switch (Radius(taps)) {
    case 1: return BlurRowsOfRadius<1>(in, first, count, w, width, column, out);
    case 2: return BlurRowsOfRadius<2>(in, first, count, w, width, column, out);
    case 3: return BlurRowsOfRadius<3>(in, first, count, w, width, column, out);
    case 4: return BlurRowsOfRadius<4>(in, first, count, w, width, column, out);
    case 5: return BlurRowsOfRadius<5>(in, first, count, w, width, column, out);
    case 6: return BlurRowsOfRadius<6>(in, first, count, w, width, column, out);
    case 7: return BlurRowsOfRadius<7>(in, first, count, w, width, column, out);
    case 8: return BlurRowsOfRadius<8>(in, first, count, w, width, column, out);
    default: return BlurRowsOfRadius<9>(in, first, count, w, width, column, out);
  }
}

// The last stage: the unsharp mask (when `blurred`) and the one rounding to 8 bits. The
// pointers never overlap; saying so lets the compiler vectorise the byte stores.
[[gnu::always_inline]] inline void StoreRow(const float* __restrict in,
                                            const float* __restrict blurred, float amount,
                                            int samples, uint8_t* __restrict out) {
  if (blurred != nullptr) {
    for (int k = 0; k < samples; ++k) {
      out[k] = Round8(in[k] + amount * (in[k] - blurred[k]));
    }
  } else {
    for (int k = 0; k < samples; ++k) out[k] = Round8(in[k]);
  }
}

ENHANCER_VECTOR_CLONES
void RunBand(const Rgb16View& photo, const Plan& plan, int y0, int y1, Rows& toned,
             Rows& denoised, Rows& blurred, std::vector<float>& column, uint8_t* canvas_row0,
             size_t canvas_stride) {
  const int width = photo.width;
  const int samples = width * 3;
  const int hd = plan.denoise_taps.empty() ? 0 : Radius(plan.denoise_taps);
  const int hs = plan.sharpen_taps.empty() ? 0 : Radius(plan.sharpen_taps);
  // Band-relative row i holds photo row y0 - hd - hs + i (edges replicated).
  const int halo = hd + hs;
  const int rows = (y1 - y0) + 2 * halo;
  for (int i = 0; i < rows; ++i) {
    const int y = std::clamp(y0 - halo + i, 0, photo.height - 1);
    ToneRow(photo.pixels + static_cast<size_t>(y) * samples, width, plan, toned[i]);
    if (halo > 0) toned.ReplicateEdges(i);
  }
  Rows* current = &toned;
  if (hd > 0) {
    // Rows [hd, rows - hd) get a denoised value; the sharpen below reads only those.
    BlurRows(toned, hd, rows - 2 * hd, plan.denoise_taps, width, column, blurred);
    const float strength = plan.denoise_strength, slope = plan.denoise_slope;
    for (int i = hd; i < rows - hd; ++i) {
      const float* in = toned[i];
      const float* b = blurred[i];
      float* out = denoised[i];
      for (int k = 0; k < samples; ++k) {
        const float d = b[k] - in[k];
        const float weight = std::max(0.0f, strength - std::abs(d) * slope);
        out[k] = in[k] + d * weight;
      }
      denoised.ReplicateEdges(i);
    }
    current = &denoised;
  }
  if (hs > 0) BlurRows(*current, halo, y1 - y0, plan.sharpen_taps, width, column, blurred);
  for (int y = y0; y < y1; ++y) {
    const int i = halo + (y - y0);
    StoreRow((*current)[i], hs > 0 ? blurred[i] : nullptr, plan.sharpen_amount, samples,
             canvas_row0 + static_cast<size_t>(y) * canvas_stride);
  }
}

}  // namespace

void ApplyRecipe(const Rgb16View& photo, const Recipe& recipe, Rgb8View canvas, int left,
                 int top) {
  if (photo.width <= 0 || photo.height <= 0) return;
  const Plan plan = MakePlan(recipe);
  const int hd = plan.denoise_taps.empty() ? 0 : Radius(plan.denoise_taps);
  const int hs = plan.sharpen_taps.empty() ? 0 : Radius(plan.sharpen_taps);
  const int margin = std::max(hd, hs);
  const int capacity = kBandRows + 2 * (hd + hs);
  Rows toned(photo.width, margin, capacity);
  Rows denoised(photo.width, margin, hd > 0 ? capacity : 0);
  Rows blurred(photo.width, margin, hd + hs > 0 ? capacity : 0);
  std::vector<float> column(toned.stride());
  const size_t canvas_stride = static_cast<size_t>(canvas.width) * 3;
  uint8_t* origin = canvas.pixels + static_cast<size_t>(top) * canvas_stride + left * 3;
  for (int y0 = 0; y0 < photo.height; y0 += kBandRows) {
    const int y1 = std::min(photo.height, y0 + kBandRows);
    RunBand(photo, plan, y0, y1, toned, denoised, blurred, column, origin, canvas_stride);
  }
}

}  // namespace enhancer::render
