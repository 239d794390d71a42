// Planner: looks at a photo and proposes N distinct enhancement recipes.
//
// Implementations: the local rule planner (image statistics, deterministic) and Gemini.
#pragma once

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
};

struct PlanRequest {
  const Preview* preview = nullptr;  // not owned; outlives the call
  std::string product_name;          // may be empty (e.g. `enhancer enhance FILE`)
  std::string category;              // may be empty
  int count = 3;                     // 1-10
};

struct Plan {
  std::vector<Recipe> recipes;  // exactly request.count, clamped, distinct names; the first is
                                // the faithful correction
  std::string planner;          // which planner made them, e.g. "local" or "gemini:<model>"
  std::string note;             // anything a reviewer should know (e.g. a fallback); may be empty
};

class Planner {
 public:
  virtual ~Planner() = default;

  // Thread-safe. Errors: InvalidArgument (bad request), transient codes for remote planners.
  virtual Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) = 0;
};

}  // namespace enhancer
