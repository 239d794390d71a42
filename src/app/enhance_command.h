// `enhancer enhance PATH... --out DIR`: photos on disk (files, folders, glob patterns), no
// database, queue or server. For a person with a folder of photos.
//
// Each photo's results go to their own folder below --out, mirroring the input tree (see
// photo_walk.h for the mapping and photo_job.h for the folder's files); OUT/index.html is a
// contact sheet of the run (contact_sheet.h). Photos run concurrently, WORKER_CONCURRENCY at a
// time (default: the number of cores) or --jobs N; photos whose results are up to date are
// skipped unless --force; a bad photo does not stop the others.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "plan/recipe.h"

namespace CLI {
class App;
}  // namespace CLI

namespace enhancer {

struct EnhanceCommandOptions {
  std::vector<std::string> inputs;  // files, folders, glob patterns (quoted, so the shell keeps them)
  std::string out_dir;              // created if missing
  std::optional<int> count;         // 1-10; default ENHANCED_IMAGES_COUNT
  std::string recipes_file;         // JSON recipes applied instead of planning; empty: plan
  std::optional<int> jobs;          // photos at once, 1-64; default WORKER_CONCURRENCY
  bool force = false;               // redo photos whose results are up to date
  bool no_original = false;         // skip the unadjusted "before" image
  bool json = false;                // one JSON object per photo on stdout
  bool quiet = false;               // nothing on stderr but failures
};

// Adds the `enhance` subcommand (its options, help and example) to `app`; parsing fills
// `options`, which must outlive `app`. Returns the subcommand, to test whether it was given.
CLI::App* AddEnhanceCommand(CLI::App& app, EnhanceCommandOptions& options);

// Runs the command; returns the exit code: 0 when every photo is enhanced or up to date, 1 when
// any failed (each listed with its reason at the end), 2 for a usage error (bad configuration,
// an input that does not exist, no photos found, a bad recipes file), 130 when interrupted
// (SIGINT or SIGTERM: photos not yet started are left, the contact sheet is still written).
int RunEnhanceCommand(const EnhanceCommandOptions& options);

// Reads a recipes file: an array of recipe objects, or an object with a "recipes" array.
// Errors: NotFound (no such file), InvalidArgument (bad JSON, not 1-10 recipes, a bad field).
Result<std::vector<Recipe>> ReadRecipesFile(const std::string& path);

}  // namespace enhancer
