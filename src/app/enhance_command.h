// `enhancer enhance FILE --out DIR`: one local photo, no database, queue or server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/photo_enhancer.h"

namespace enhancer {

struct EnhanceFileRequest {
  std::string input;                     // a photo file
  std::string out_dir;                   // created if missing
  int count = 3;                         // 1-10, when no recipes are given
  std::optional<std::string> recipes_file;  // JSON: an array of recipes, or {"recipes": [...]}
};

struct EnhanceFileResult {
  std::string manifest_path;
  std::vector<std::string> files;  // written, in order: image, thumbnail, image, thumbnail, ...
};

// Writes <stem>_<n>-<variant>.jpg and <stem>_<n>-<variant>_thumb.jpg for each image, and
// manifest.json listing per image: file, thumbnail, name, prompt, recipe, width, height, bytes.
// Errors: NotFound (no such input file), InvalidArgument (not an image, bad recipes file),
// Internal (cannot write the output).
Result<EnhanceFileResult> EnhanceFile(const PhotoEnhancer& enhancer, const EnhanceFileRequest& request);

// Reads a recipes file: an array of recipe objects, or an object with a "recipes" array.
Result<std::vector<Recipe>> ReadRecipesFile(const std::string& path);

}  // namespace enhancer
