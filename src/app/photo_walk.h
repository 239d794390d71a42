// PhotoWalk: the inputs of `enhancer enhance` (files, folders, glob patterns) turned into the
// list of photos to enhance, each with the folder its results go to below --out.
//
// The output tree mirrors the input tree: a photo found by walking a folder keeps its path
// relative to that folder (folder `a` holding a/b/c.jpg gives "b/c.jpg", written to OUT/b/c/);
// a file named on the command line sits at the top (OUT/c/); a glob pattern's matches keep
// their path relative to the pattern's fixed leading folders ("shots/*/c.jpg" matching
// shots/2024/c.jpg gives "2024/c.jpg").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace enhancer {

struct PhotoInput {
  std::string path;        // to open: the input as given, or joined with what the walk found
  std::string relative;    // mirrored path, '/'-separated, never absolute nor with "..": "b/c.jpg"
  std::string output_dir;  // below --out, '/'-separated: relative's folder plus a name, "b/c"
};

// Expands `inputs` in order:
//   - a file is taken whatever its name (the renderer sniffs the content);
//   - a folder is walked recursively, sorted by path, keeping files with an image extension
//     (HasImageExtension) and skipping hidden entries (".git", ".DS_Store") and `exclude_dir`
//     (the output folder, so a second run does not enhance the first run's results);
//   - an input with a glob character (* ? [) that is not an existing path is expanded with
//     glob(3); matching files must have an image extension, matching folders are walked.
// A photo reached twice (a folder and a file inside it) is listed once, the first time.
// The output folder is named after the photo's stem; photos of the same folder that share a
// stem ("c.jpg", "c.png") get "c_jpg", "c_png" instead.
// Errors (all the user's to fix, before any work starts):
//   NotFound: "no such file or folder: x.jpg", "no file matches \"*.jpeg\"";
//   InvalidArgument: "no photos found in a, b" (nothing to do), two inputs that would write
//   to the same output folder ("a/c.jpg and b/c.jpg would both write to c/"), or an input
//   folder that is `exclude_dir` or inside it.
Result<std::vector<PhotoInput>> WalkPhotos(const std::vector<std::string>& inputs,
                                           const std::string& exclude_dir);

// True for the extensions libvips reads here, in any case: jpg jpeg jpe jfif png webp tif tiff
// gif heic heif avif.
bool HasImageExtension(std::string_view path);

// True when `input` holds a glob(3) character: '*', '?' or '['.
bool IsGlobPattern(std::string_view input);

}  // namespace enhancer
