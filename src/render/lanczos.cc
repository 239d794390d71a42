#include "render/lanczos.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace enhancer::render {
namespace {

constexpr double kSupport = 3.0;

double Sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}

double Lanczos3(double x) { return (x > -kSupport && x < kSupport) ? Sinc(x) * Sinc(x / kSupport) : 0.0; }

// For each output position, the first input index and the normalised weights of the inputs from
// there on (`stride` of them, zero-padded).
struct Taps {
  std::vector<int> first;
  std::vector<float> weights;
  int stride = 0;
};

Taps MakeTaps(int in, int out) {
  const double scale = static_cast<double>(in) / out;
  const double filter_scale = std::max(scale, 1.0);
  const double support = kSupport * filter_scale;
  Taps taps;
  taps.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  taps.first.resize(out);
  taps.weights.assign(static_cast<size_t>(out) * taps.stride, 0.0f);
  for (int j = 0; j < out; ++j) {
    const double centre = (j + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(centre - support + 0.5));
    const int hi = std::min(in, static_cast<int>(centre + support + 0.5));
    double sum = 0;
    std::vector<double> w;
    for (int x = lo; x < hi; ++x) {
      w.push_back(Lanczos3((x - centre + 0.5) / filter_scale));
      sum += w.back();
    }
    taps.first[j] = lo;
    for (size_t k = 0; k < w.size() && static_cast<int>(k) < taps.stride; ++k) {
      taps.weights[static_cast<size_t>(j) * taps.stride + k] =
          static_cast<float>(sum != 0 ? w[k] / sum : 0.0);
    }
  }
  return taps;
}

}  // namespace

template <typename Sample>
std::vector<uint16_t> Lanczos3Resize(const Sample* pixels, int width, int height, int out_width,
                                     int out_height) {
  const Taps across = MakeTaps(width, out_width);
  const Taps down = MakeTaps(height, out_height);
  // Horizontal pass into floats, then vertical; each output is a dot product with its taps.
  std::vector<float> rows(static_cast<size_t>(height) * out_width * 3);
  for (int y = 0; y < height; ++y) {
    const Sample* in = pixels + static_cast<size_t>(y) * width * 3;
    float* out = rows.data() + static_cast<size_t>(y) * out_width * 3;
    for (int j = 0; j < out_width; ++j) {
      const float* w = &across.weights[static_cast<size_t>(j) * across.stride];
      const int first = across.first[j];
      const int count = std::min(across.stride, width - first);
      float r = 0, g = 0, b = 0;
      for (int k = 0; k < count; ++k) {
        const Sample* p = in + static_cast<size_t>(first + k) * 3;
        r += w[k] * p[0];
        g += w[k] * p[1];
        b += w[k] * p[2];
      }
      out[3 * j] = r;
      out[3 * j + 1] = g;
      out[3 * j + 2] = b;
    }
  }
  const float scale = sizeof(Sample) == 1 ? 257.0f : 1.0f;
  const size_t samples = static_cast<size_t>(out_width) * 3;
  std::vector<uint16_t> result(static_cast<size_t>(out_height) * samples);
  std::vector<float> sum(samples);
  for (int i = 0; i < out_height; ++i) {
    const float* w = &down.weights[static_cast<size_t>(i) * down.stride];
    const int first = down.first[i];
    const int count = std::min(down.stride, height - first);
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int k = 0; k < count; ++k) {
      const float* row = rows.data() + static_cast<size_t>(first + k) * samples;
      const float weight = w[k];
      for (size_t s = 0; s < samples; ++s) sum[s] += weight * row[s];
    }
    uint16_t* out = result.data() + static_cast<size_t>(i) * samples;
    for (size_t s = 0; s < samples; ++s) {
      out[s] = static_cast<uint16_t>(std::clamp(sum[s] * scale, 0.0f, 65535.0f) + 0.5f);
    }
  }
  return result;
}

template std::vector<uint16_t> Lanczos3Resize<uint8_t>(const uint8_t*, int, int, int, int);
template std::vector<uint16_t> Lanczos3Resize<uint16_t>(const uint16_t*, int, int, int, int);

}  // namespace enhancer::render
