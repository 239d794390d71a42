// Planner: looks at a photo and proposes N distinct enhancement recipes.
//
// Implementations: the local rule planner (image statistics, deterministic) and Gemini.
#pragma once

#include <array>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "core/status.h"
#include "plan/recipe.h"

namespace enhancer {

// A small copy of the photo for planning: oriented, at most 512 px on its longer side.
struct Preview {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3 bytes, row-major, sRGB
  std::string jpeg;          // the same pixels as a JPEG, for planners that send the photo away

  // Per-channel (R, G, B) histograms of the photo's own pixels, as decoded (oriented or not,
  // before any resize), at 10 bits: kHistogramBins bins each, bin = 16-bit value >> 6. The
  // preview above is too coarse for the extremes a few pixels set (a specular glint, a speck
  // of true black), and a resized copy has values beyond them at every hard edge. Either all
  // three are filled or all are empty: the renderer leaves them empty for photos larger than
  // its base, where counting would cost a second full decode; planners then use `rgb`.
  static constexpr int kHistogramBins = 1024;
  std::array<std::vector<uint32_t>, 3> histograms;
};

struct PlanRequest {
  const Preview* preview = nullptr;  // not owned; outlives the call
  std::string product_name;          // may be empty (e.g. `enhancer enhance FILE`)
  std::string category;              // may be empty
  int count = 3;                     // 1-10
};

// What a remote model charged for a plan, in tokens; all zero for the local planner.
struct TokenUsage {
  int64_t prompt = 0;      // the request: prompt text and image
  int64_t candidates = 0;  // the answer
  int64_t thoughts = 0;    // the model's thinking, billed as output
  int64_t total = 0;       // as the service counts it (may include more than the three above)
};

struct Plan {
  std::vector<Recipe> recipes;  // exactly request.count, clamped, distinct names; the first is
                                // the faithful correction
  std::string planner;          // which planner made them, e.g. "local" or "gemini:<model>"
  std::string note;             // anything a reviewer should know (e.g. a fallback); may be empty
  TokenUsage tokens;            // summed over every answer the plan took (retries included)
  std::string model_version;    // the remote model that answered, e.g. "gemini-2.5-flash"; may
                                // be empty
};

class Planner {
 public:
  virtual ~Planner() = default;

  // Thread-safe. Errors: InvalidArgument (bad request), transient codes for remote planners.
  virtual Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) = 0;
};

}  // namespace enhancer
