// PhotoJob: one photo of `enhancer enhance`: the up-to-date check, the enhancement, and the
// photo's own folder of results.
//
// The folder (OUT/<output_dir>/, named <name> below after its last component) holds:
//   <name>_0-original.jpg, <name>_0-original_thumb.jpg
//       the photo with the identity recipe: fitted and padded exactly like the variants, so a
//       before/after comparison lines up pixel for pixel;
//   <name>_<n>-<variant>.jpg, <name>_<n>-<variant>_thumb.jpg    for n = 1..count;
//   manifest.json
//       per image: file, thumbnail, name, prompt, recipe, width, height, bytes, thumbnail size;
//       the same for "original"; the planner and its note; and a "stamp" of what the results
//       were made from (the input's size, mtime and SHA-256, and the settings fingerprint).
// The manifest is written last and atomically, and removed before anything is rewritten: a
// folder whose manifest matches is complete.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "app/photo_walk.h"
#include "core/status.h"
#include "plan/recipe.h"
#include "service/photo_enhancer.h"

namespace enhancer {

struct PhotoJobSettings {
  int count = 3;                               // 1-10, when no recipes are given
  std::optional<std::vector<Recipe>> recipes;  // rendered instead of planning
  // Everything besides the photo that the results depend on (count or recipes, canvas,
  // quality, planner, layout), as canonical JSON; results with another fingerprint are redone.
  std::string fingerprint;
  int64_t max_bytes = 50 * 1024 * 1024;  // larger inputs fail before being read
  bool force = false;                    // redo even when up to date
};

// One written image, as the manifest and the contact sheet describe it. Paths are relative to
// the photo's folder.
struct WrittenImage {
  std::string name;
  std::string prompt;
  std::string recipe_json;  // the clamped recipe, as rendered
  std::string file;
  std::string thumbnail;
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
  int thumbnail_width = 0;
  int thumbnail_height = 0;
};

enum class PhotoOutcome { kEnhanced, kSkipped, kFailed };

// "ok", "skipped", "failed": as `--json` prints it.
std::string_view PhotoOutcomeName(PhotoOutcome outcome);

struct PhotoResult {
  PhotoOutcome outcome = PhotoOutcome::kFailed;
  Status error;  // why it failed; OK otherwise
  // Every file of the photo's folder, manifest last, '/'-separated and relative to --out
  // ("b/c/c_1-faithful.jpg"). Empty when failed.
  std::vector<std::string> outputs;
  std::optional<WrittenImage> original;
  std::vector<WrittenImage> images;
  std::string planner;
  std::string note;
  std::chrono::milliseconds elapsed{0};
};

// Enhances `photo` into OUT/<photo.output_dir>/ unless its results there are up to date (same
// fingerprint, same input size, mtime and SHA-256, every listed file present) and
// !settings.force. Never throws; a failure is a result whose error says why:
// InvalidArgument (not an image, truncated, too large), NotFound (the input vanished),
// Internal (cannot write), or the planner's codes. Thread-safe for distinct photos.
// `enhancer` makes the variants and `reference` the "original": the same object, except with a
// generative renderer, whose "before" must come from libvips (a generated one would be no
// reference, and would cost a model call).
PhotoResult RunPhotoJob(const PhotoEnhancer& enhancer, const PhotoEnhancer& reference,
                        const PhotoInput& photo, const std::string& out_dir,
                        const PhotoJobSettings& settings, std::stop_token stop);

}  // namespace enhancer
