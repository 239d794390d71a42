#include "app/enhance_command.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/config.h"
#include "app/contact_sheet.h"
#include "app/enhance_reporter.h"
#include "app/photo_job.h"
#include "app/photo_walk.h"
#include "app/wiring.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

// Bumped when the files of a photo's folder change shape, so older results are redone.
constexpr int kLayoutVersion = 1;

int UsageError(const Status& status) {
  std::cerr << "enhancer: " << status.message() << "\n";
  return kExitUsage;
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFoundError("no such file: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// What the results depend on besides the photo itself. A planner that answers differently for
// the same photo (a remote model) still counts as the same settings: rerunning is --force.
std::string Fingerprint(const Config& config, const PhotoJobSettings& settings) {
  nlohmann::json fingerprint = {
      {"layout", kLayoutVersion},
      {"canvas", config.output_size},
      {"thumbnail", config.thumbnail_size},
      {"quality", config.jpeg_quality},
      {"shrink_on_load", config.shrink_on_load},
      {"original", settings.original},
  };
  if (settings.recipes) {
    nlohmann::json recipes = nlohmann::json::array();
    for (const Recipe& recipe : *settings.recipes) recipes.push_back(nlohmann::json::parse(ToJson(recipe)));
    fingerprint["recipes"] = std::move(recipes);
  } else {
    fingerprint["count"] = settings.count;
    fingerprint["planner"] =
        config.gemini_api_key.empty() ? std::string("local") : "gemini/" + config.gemini_model;
  }
  // Only when not the default, so that results made before the setting existed stay current.
  if (config.renderer != kRendererLibvips) {
    fingerprint["renderer"] = config.renderer + "/" + config.gemini_image_model;
  }
  return fingerprint.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// SIGINT and SIGTERM, taken from the default action (which would kill the process mid-line)
// and turned into a stop request: running photos are cancelled between steps, no new one
// starts, and the contact sheet is still written. Must be made before any other thread starts,
// so that every thread inherits the blocked signals.
class InterruptWatch {
 public:
  explicit InterruptWatch(std::stop_source stop) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    watcher_ = std::thread([this, stop]() mutable {
      int signal = 0;
      sigwait(&signals_, &signal);
      if (!finished_.load()) {
        interrupted_.store(true);
        stop.request_stop();
      }
    });
  }

  ~InterruptWatch() {
    finished_.store(true);
    if (!interrupted_.load()) pthread_kill(watcher_.native_handle(), SIGTERM);  // wakes sigwait
    watcher_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

  bool interrupted() const { return interrupted_.load(); }

 private:
  sigset_t signals_;
  sigset_t previous_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> interrupted_{false};
  std::thread watcher_;
};

std::string RelativeLink(const std::string& from_dir, const std::string& to_file) {
  std::error_code ec;
  fs::path from = fs::weakly_canonical(fs::absolute(from_dir, ec), ec);
  fs::path to = fs::weakly_canonical(fs::absolute(to_file, ec), ec);
  if (ec) return "";
  return to.lexically_relative(from).generic_string();
}

Status WriteContactSheet(const std::string& out_dir, const std::vector<PhotoInput>& photos,
                         const std::vector<PhotoResult>& results, const std::vector<char>& ran) {
  ContactSheet sheet;
  sheet.generator = "enhancer enhance";
  for (size_t i = 0; i < photos.size(); ++i) {
    // A photo stopped by Ctrl-C is neither a result nor the photo's fault.
    if (!ran[i] || results[i].error.code() == StatusCode::kCancelled) continue;
    sheet.photos.push_back({photos[i].relative, photos[i].output_dir,
                            RelativeLink(out_dir, photos[i].path), results[i]});
  }
  Result<std::string> html = RenderContactSheet(sheet);
  if (!html) return html.error();
  const fs::path path = fs::path(out_dir) / "index.html";
  const fs::path temporary = fs::path(out_dir) / "index.html.tmp";
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  out << *html;
  out.close();
  if (!out) return InternalError("cannot write " + temporary.string());
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return InternalError("cannot write " + path.string() + ": " + ec.message());
  return OkStatus();
}

}  // namespace

Result<std::vector<Recipe>> ReadRecipesFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text) return text.error();
  nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) return InvalidArgumentError(path + " is not valid JSON");
  if (json.is_object() && json.contains("recipes")) json = json["recipes"];
  if (!json.is_array() || json.empty() || json.size() > 10) {
    return InvalidArgumentError(path + " must hold an array of 1 to 10 recipes");
  }
  std::vector<Recipe> recipes;
  for (size_t i = 0; i < json.size(); ++i) {
    Result<Recipe> recipe = RecipeFromJson(json[i].dump());
    if (!recipe) return recipe.error().WithContext(path + ": recipe " + std::to_string(i + 1));
    recipes.push_back(*std::move(recipe));
  }
  return recipes;
}

CLI::App* AddEnhanceCommand(CLI::App& app, EnhanceCommandOptions& options) {
  CLI::App* enhance = app.add_subcommand(
      "enhance",
      "Enhance photos on disk: files, folders (walked recursively, image files only) and quoted\n"
      "glob patterns; no database or server. Each photo's images, thumbnails and manifest go to\n"
      "OUT/<its folder below the input>/<its name>/, and OUT/index.html shows them all side by\n"
      "side. Photos whose results are up to date are skipped. Exit code 1 if any photo failed.\n"
      "Example: enhancer enhance photos/ 'more/*.jpg' --out enhanced/ --count 3");
  enhance->add_option("inputs", options.inputs, "Photo files, folders or quoted glob patterns")
      ->required();
  enhance->add_option("--out", options.out_dir, "Output folder (created if missing)")->required();
  enhance->add_option("--count", options.count, "Images per photo, 1-10 (default ENHANCED_IMAGES_COUNT)")
      ->check(CLI::Range(1, 10));
  enhance->add_option("--recipes", options.recipes_file,
                      "JSON file of recipes to apply instead of planning (--count is ignored)");
  enhance->add_option("--jobs,-j", options.jobs,
                      "Photos processed at once, 1-64 (default WORKER_CONCURRENCY, or the cores)")
      ->check(CLI::Range(1, 64));
  enhance->add_flag("--force", options.force, "Redo photos whose results are up to date");
  enhance->add_flag("--no-original", options.no_original,
                    "Write only the variants, not the unadjusted \"before\" image (the contact "
                    "sheet then shows no before/after sliders)");
  enhance->add_flag("--json", options.json,
                    "Print one JSON object per photo on stdout: file, status, error, outputs, "
                    "elapsed_ms");
  enhance->add_flag("--quiet,-q", options.quiet, "Print nothing on stderr but failures");
  return enhance;
}

int RunEnhanceCommand(const EnhanceCommandOptions& options) {
  // Before any thread exists (libvips starts its own), so that all of them inherit the mask.
  std::stop_source stop;
  InterruptWatch interrupts(stop);

  Result<Environment> env = ReadEnvironment(".");
  if (!env) return UsageError(env.error());
  Result<Config> config = LoadConfig(*env);
  if (!config) return UsageError(config.error());

  PhotoJobSettings settings;
  settings.count = options.count.value_or(config->enhanced_images_count);
  settings.max_bytes = config->max_image_bytes;
  settings.force = options.force;
  settings.original = !options.no_original;
  if (!options.recipes_file.empty()) {
    Result<std::vector<Recipe>> recipes = ReadRecipesFile(options.recipes_file);
    if (!recipes) return UsageError(recipes.error());
    settings.recipes = *std::move(recipes);
  }
  settings.fingerprint = Fingerprint(*config, settings);

  Result<std::vector<PhotoInput>> walked = WalkPhotos(options.inputs, options.out_dir);
  if (!walked) return UsageError(walked.error());
  const std::vector<PhotoInput>& photos = *walked;

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    std::cerr << "enhancer: cannot create " << options.out_dir << ": " << ec.message() << "\n";
    return kExitFailure;
  }

  // The worker's rule: WORKER_CONCURRENCY photos at once, their decoding and rendering on one
  // thread per core (the CPU pool; see MakeRenderer).
  const int jobs = std::clamp(options.jobs.value_or(config->worker_concurrency), 1,
                              static_cast<int>(photos.size()));
  // libvips prints its warnings ("error in tile 0 x 8") straight to stderr, through the progress
  // line and past --quiet; the photo's failure already says what went wrong. Any value of
  // VIPS_WARNING silences them (read once, by InitVips); one the user set is left alone.
  setenv("VIPS_WARNING", "1", /*overwrite=*/0);
  Status vips = InitVips();
  if (!vips.ok()) {
    std::cerr << "enhancer: " << vips.message() << "\n";
    return kExitFailure;
  }
  Result<std::unique_ptr<Renderer>> made_renderer = MakeRenderer(*config);
  if (!made_renderer) {
    std::cerr << "enhancer: " << made_renderer.error().message() << "\n";
    return kExitFailure;
  }
  std::unique_ptr<Renderer> renderer = *std::move(made_renderer);
  Result<std::unique_ptr<Planner>> made_planner = MakePlanner(*config);
  if (!made_planner) {
    std::cerr << "enhancer: " << made_planner.error().message() << "\n";
    return kExitFailure;
  }
  std::unique_ptr<Planner> planner = *std::move(made_planner);
  CpuPool pool;
  PhotoEnhancer enhancer(*renderer, *planner, /*metrics=*/nullptr, &pool);

  ReporterOptions report;
  report.json = options.json;
  report.quiet = options.quiet;
  report.live = !options.quiet && isatty(STDERR_FILENO) == 1;
  report.out_dir = options.out_dir;
  EnhanceReporter reporter(report, STDOUT_FILENO, STDERR_FILENO);
  reporter.Begin(photos.size());

  std::vector<PhotoResult> results(photos.size());
  std::vector<char> ran(photos.size(), 0);
  std::atomic<size_t> next{0};
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < jobs; ++w) {
      workers.emplace_back([&] {
        for (;;) {
          if (stop.stop_requested()) return;
          const size_t i = next.fetch_add(1);
          if (i >= photos.size()) return;
          reporter.Started(photos[i]);
          results[i] = RunPhotoJob(enhancer, photos[i], options.out_dir, settings,
                                   stop.get_token());
          ran[i] = 1;
          reporter.Finished(photos[i], results[i]);
        }
      });
    }
  }  // joins the workers

  Status sheet = WriteContactSheet(options.out_dir, photos, results, ran);
  if (!sheet.ok()) reporter.Note("enhancer: no contact sheet: " + sheet.message());
  reporter.End(sheet.ok() ? (fs::path(options.out_dir) / "index.html").string() : "",
               interrupts.interrupted());

  if (interrupts.interrupted()) return kExitInterrupted;
  bool failed = !sheet.ok();
  for (size_t i = 0; i < photos.size(); ++i) {
    if (ran[i] && results[i].outcome == PhotoOutcome::kFailed) failed = true;
  }
  return failed ? kExitFailure : 0;
}

}  // namespace enhancer
