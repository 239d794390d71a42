// PhotoEnhancer: photo bytes in, N rendered images out — the part of the job shared by the
// worker and `enhancer enhance FILE`, which has no database, queue or store.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/cpu_pool.h"
#include "core/status.h"
#include "plan/planner.h"
#include "render/renderer.h"
#include "service/job_metrics.h"

namespace enhancer {

struct EnhanceRequest {
  std::string product_name;  // given to the planner; may be empty
  std::string category;      // may be empty
  int count = 3;             // 1-10
  // When set, these recipes are rendered instead of asking the planner (count is ignored).
  std::optional<std::vector<Recipe>> recipes;
  // Also render the photo with no adjustment, fitted to the same canvas: the "before" of a
  // comparison. From the same decoded base, so it costs a render, not another decode.
  bool original = false;
};

struct EnhancedImage {
  Recipe recipe;  // clamped, with what auto adjustments measured: exactly what was rendered
  RenderedImage rendered;
};

struct EnhancedPhoto {
  std::vector<EnhancedImage> images;
  std::optional<EnhancedImage> original;  // when the request asked for it
  std::string planner;  // who planned, e.g. "local"
  std::string note;     // the planner's note for a reviewer, then the renderer's notes, joined
                        // by "; "; may be empty
  TokenUsage tokens;    // what a remote planner spent
  int source_width = 0;
  int source_height = 0;
};

class PhotoEnhancer {
 public:
  // None is owned; all outlive this object and are thread-safe, so is this class. `metrics` may
  // be null. With a `pool`, decoding and rendering run on it (the recipes of one photo in
  // parallel) and the calling thread only waits; without one, they run on the calling thread.
  PhotoEnhancer(Renderer& renderer, Planner& planner, JobMetrics* metrics = nullptr,
                CpuPool* pool = nullptr)
      : renderer_(renderer), planner_(planner), metrics_(metrics), pool_(pool) {}

  // Decodes `photo` once, plans (or takes the given recipes), renders each recipe.
  // Errors: InvalidArgument (not an image, too large, bad count), the planner's codes, Cancelled.
  Result<EnhancedPhoto> Enhance(std::string_view photo, const EnhanceRequest& request,
                                std::stop_token stop) const;

 private:
  Renderer& renderer_;
  Planner& planner_;
  JobMetrics* metrics_;
  CpuPool* pool_;
};

}  // namespace enhancer
