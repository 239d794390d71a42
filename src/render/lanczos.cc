#include "render/lanczos.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

namespace enhancer::render {
namespace {

constexpr double kSupport = 3.0;

double Sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}

double Lanczos3(double x) {
  return (x > -kSupport && x < kSupport) ? Sinc(x) * Sinc(x / kSupport) : 0.0;
}

// For each output position, the inputs it reads (first, count) and their normalised weights
// (`stride` slots per output, zero-padded).
struct Taps {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> weights;
  int stride = 0;

  // True when output j reads any input in [lo, hi).
  bool Reaches(int j, int lo, int hi) const { return first[j] < hi && first[j] + count[j] > lo; }
};

Taps MakeTaps(int in, int out) {
  const double scale = static_cast<double>(in) / out;
  const double filter_scale = std::max(scale, 1.0);
  const double support = kSupport * filter_scale;
  Taps taps;
  taps.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  taps.first.resize(out);
  taps.count.resize(out);
  taps.weights.assign(static_cast<size_t>(out) * taps.stride, 0.0f);
  std::vector<double> w;
  for (int j = 0; j < out; ++j) {
    const double centre = (j + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(centre - support + 0.5));
    const int hi = std::min(in, static_cast<int>(centre + support + 0.5));
    w.clear();
    double sum = 0;
    for (int x = lo; x < hi && static_cast<int>(w.size()) < taps.stride; ++x) {
      w.push_back(Lanczos3((x - centre + 0.5) / filter_scale));
      sum += w.back();
    }
    taps.first[j] = lo;
    taps.count[j] = static_cast<int>(w.size());
    for (size_t k = 0; k < w.size(); ++k) {
      taps.weights[static_cast<size_t>(j) * taps.stride + k] =
          static_cast<float>(sum != 0 ? w[k] / sum : 0.0);
    }
  }
  return taps;
}

// Output row i of the vertical pass: a weighted sum of whole input rows, which vectorises
// across the row. Summed a block of the row at a time, so the partial sums stay in L1 instead of
// making one pass over memory per tap.
template <typename In>
void VerticalRow(const In* pixels, int width, const Taps& taps, int i, float* __restrict sum) {
  constexpr size_t kBlock = 256;
  const size_t samples = static_cast<size_t>(width) * 3;
  const float* w = &taps.weights[static_cast<size_t>(i) * taps.stride];
  for (size_t start = 0; start < samples; start += kBlock) {
    const size_t n = std::min(kBlock, samples - start);
    float block[kBlock] = {};
    for (int k = 0; k < taps.count[i]; ++k) {
      const In* __restrict row =
          pixels + static_cast<size_t>(taps.first[i] + k) * samples + start;
      const float weight = w[k];
      for (size_t s = 0; s < n; ++s) block[s] += weight * static_cast<float>(row[s]);
    }
    std::copy(block, block + n, sum + start);
  }
}

// Four floats in one register (SSE on x86-64, NEON on ARM): a pixel's R, G and B, and one
// lane of the next pixel that is computed and dropped.
using Float4 = float __attribute__((vector_size(16)));

// One row of the horizontal pass, output columns [col_lo, col_hi): per output pixel, its taps
// summed over the three channels at once. `in` must have one readable float after its last
// pixel (the fourth lane of the last load).
void HorizontalRow(const float* in, const Taps& taps, int col_lo, int col_hi, float* out) {
  for (int j = col_lo; j < col_hi; ++j) {
    const float* w = &taps.weights[static_cast<size_t>(j) * taps.stride];
    const float* p = in + static_cast<size_t>(taps.first[j]) * 3;
    Float4 sum = {0, 0, 0, 0};
    for (int k = 0; k < taps.count[j]; ++k) {
      Float4 pixel;
      std::memcpy(&pixel, p + 3 * k, sizeof pixel);
      sum += w[k] * pixel;
    }
    out[3 * j] = sum[0];
    out[3 * j + 1] = sum[1];
    out[3 * j + 2] = sum[2];
  }
}

template <typename Out>
void Store(const float* __restrict in, size_t n, float scale, Out* __restrict out) {
  constexpr float kMax = std::numeric_limits<Out>::max();
  for (size_t s = 0; s < n; ++s) {
    out[s] = static_cast<Out>(static_cast<int>(std::min(std::max(in[s] * scale, 0.0f), kMax) + 0.5f));
  }
}

template <typename In, typename Out>
constexpr float Scale() {
  return static_cast<float>(std::numeric_limits<Out>::max()) / std::numeric_limits<In>::max();
}

// The resize, computing only the output pixels that `photo` reaches; the rest of `result` is
// left as the caller filled it. Shrinking rows first keeps the (vectorised) vertical pass on
// the most data; enlarging, the horizontal pass goes first so that it runs on fewer rows.
template <typename In, typename Out>
void Resize(const In* pixels, int width, int height, int out_width, int out_height, Rect photo,
            Out* result) {
  const Taps across = MakeTaps(width, out_width);
  const Taps down = MakeTaps(height, out_height);
  int row_lo = 0, row_hi = out_height, col_lo = 0, col_hi = out_width;
  while (row_lo < row_hi && !down.Reaches(row_lo, photo.top, photo.top + photo.height)) ++row_lo;
  while (row_hi > row_lo && !down.Reaches(row_hi - 1, photo.top, photo.top + photo.height)) --row_hi;
  while (col_lo < col_hi && !across.Reaches(col_lo, photo.left, photo.left + photo.width)) ++col_lo;
  while (col_hi > col_lo && !across.Reaches(col_hi - 1, photo.left, photo.left + photo.width)) --col_hi;
  if (row_lo >= row_hi || col_lo >= col_hi) return;
  constexpr float kScale = Scale<In, Out>();
  const size_t out_samples = static_cast<size_t>(out_width) * 3;
  std::vector<float> line(out_samples);
  if (out_height <= height) {
    // One output row at a time: its vertical sum stays in cache for the horizontal pass.
    std::vector<float> column(static_cast<size_t>(width) * 3 + 1);  // + HorizontalRow's lane
    for (int i = row_lo; i < row_hi; ++i) {
      VerticalRow(pixels, width, down, i, column.data());
      HorizontalRow(column.data(), across, col_lo, col_hi, line.data());
      Store(line.data() + col_lo * 3, static_cast<size_t>(col_hi - col_lo) * 3, kScale,
            result + i * out_samples + col_lo * 3);
    }
  } else {
    // The input rows the wanted output rows read, horizontally resized.
    const int in_lo = down.first[row_lo];
    const int in_hi = down.first[row_hi - 1] + down.count[row_hi - 1];
    std::vector<float> wide(static_cast<size_t>(in_hi - in_lo) * out_samples, 0.0f);
    std::vector<float> row(static_cast<size_t>(width) * 3 + 1);  // + HorizontalRow's lane
    for (int y = in_lo; y < in_hi; ++y) {
      const In* source = pixels + static_cast<size_t>(y) * width * 3;
      std::copy(source, source + static_cast<size_t>(width) * 3, row.begin());
      HorizontalRow(row.data(), across, col_lo, col_hi,
                    wide.data() + static_cast<size_t>(y - in_lo) * out_samples);
    }
    // Rows of `wide` are numbered from in_lo: shift the taps' first rows alike.
    Taps shifted = down;
    for (int& first : shifted.first) first -= in_lo;
    for (int i = row_lo; i < row_hi; ++i) {
      VerticalRow(wide.data(), out_width, shifted, i, line.data());
      Store(line.data() + col_lo * 3, static_cast<size_t>(col_hi - col_lo) * 3, kScale,
            result + i * out_samples + col_lo * 3);
    }
  }
}

}  // namespace

template <typename In, typename Out>
std::vector<Out> Lanczos3Resize(const In* pixels, int width, int height, int out_width,
                                int out_height) {
  std::vector<Out> result(static_cast<size_t>(out_width) * out_height * 3);
  Resize(pixels, width, height, out_width, out_height, Rect{0, 0, width, height}, result.data());
  return result;
}

std::vector<uint8_t> Lanczos3ResizeCanvas(const uint8_t* pixels, int width, int height,
                                          int out_width, int out_height, Rect photo,
                                          std::array<uint8_t, 3> background) {
  std::vector<uint8_t> result(static_cast<size_t>(out_width) * out_height * 3);
  for (size_t i = 0; i < result.size(); i += 3) std::copy(background.begin(), background.end(), &result[i]);
  Resize(pixels, width, height, out_width, out_height, photo, result.data());
  return result;
}

template std::vector<uint16_t> Lanczos3Resize<uint8_t, uint16_t>(const uint8_t*, int, int, int, int);
template std::vector<uint16_t> Lanczos3Resize<uint16_t, uint16_t>(const uint16_t*, int, int, int,
                                                                  int);
template std::vector<uint8_t> Lanczos3Resize<uint8_t, uint8_t>(const uint8_t*, int, int, int, int);

}  // namespace enhancer::render
