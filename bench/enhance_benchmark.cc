// Where the time of one product goes, and the whole product as the worker and the CLI do it.
//
//   BM_Product/<photo>/<recipes>/<mode>: PhotoEnhancer on a CPU pool of one thread per core, as
//     `enhancer serve` and `enhancer enhance` run it: decode once, plan (the rule planner) or
//     take the recipes of bench/peers/r1.json (the reference recipe R1), render every image in
//     parallel.
// Every benchmark reports wall time ("Time") and the CPU time of the whole process ("CPU": the
// pool's and libvips' threads included), per product or per stage.
//   BM_Stage_*: each stage alone, on one thread: the stage breakdown. Prepare (decode, resize to
//     the canvas, orient), Measure (the histograms R1's levels and grey world read), RecipePass
//     (tone, saturation, unsharp mask onto the canvas), EncodeCanvas (1600² JPEG),
//     Thumbnail (resize to 600² and its JPEG).
//
// Modes: `ref` decodes every pixel; `fast` lets JPEG decode at 1/2, 1/4 or 1/8 in the DCT
// (SHRINK_ON_LOAD, the default). With --benchmark_repetitions=5 --benchmark_report_aggregates_only
// each figure also comes as its median and its min and max over the repetitions. Run a Release
// build:
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DENHANCER_MODULES="core;plan;render;service"
//   cmake --build build-bench --target enhance_benchmark && build-bench/bench/enhance_benchmark
#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/cpu_pool.h"
#include "plan/rule_planner.h"
#include "render/pipeline.h"  // internal to src/render: the stages are timed one by one
#include "render/recipe_pass.h"
#include "render/vips_renderer.h"
#include "service/photo_enhancer.h"

namespace enhancer {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ReadPhoto(const std::string& name) {
  return ReadFile(std::string(ENHANCER_SHARED_DIR) + "/testdata/images/" + name);
}

std::vector<Recipe> R1Recipes() {
  nlohmann::json json =
      nlohmann::json::parse(ReadFile(std::string(ENHANCER_SOURCE_DIR) + "/bench/peers/r1.json"));
  std::vector<Recipe> recipes;
  for (const nlohmann::json& recipe : json["recipes"]) recipes.push_back(*RecipeFromJson(recipe.dump()));
  return recipes;
}

RenderOptions Options(bool fast) {
  RenderOptions options;
  options.shrink_on_load = fast;
  return options;
}

// state.range(0): the CPU pool's threads.
void BM_Product(benchmark::State& state, const std::string& name, bool r1, bool fast) {
  const std::string photo = ReadPhoto(name);
  if (photo.empty()) return state.SkipWithError(("cannot read " + name).c_str());
  if (!InitVips(1).ok()) return state.SkipWithError("libvips did not start");
  std::unique_ptr<Renderer> renderer = MakeVipsRenderer(Options(fast));
  RulePlanner planner;
  CpuPool pool(static_cast<int>(state.range(0)));
  PhotoEnhancer enhancer(*renderer, planner, nullptr, &pool);
  EnhanceRequest request;
  if (r1) request.recipes = R1Recipes();
  size_t bytes = 0;
  for (auto _ : state) {
    Result<EnhancedPhoto> out = enhancer.Enhance(photo, request, {});
    if (!out) return state.SkipWithError(out.error().ToString().c_str());
    for (const EnhancedImage& image : out->images) {
      bytes += image.rendered.image.jpeg.size() + image.rendered.thumbnail.jpeg.size();
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["out_kB"] = bytes / n / 1024.0;
}

void BM_Stage_Prepare(benchmark::State& state, const std::string& name, bool fast) {
  const std::string photo = ReadPhoto(name);
  if (!InitVips(1).ok()) return state.SkipWithError("libvips did not start");
  std::unique_ptr<Renderer> renderer = MakeVipsRenderer(Options(fast));
  for (auto _ : state) {
    Result<std::unique_ptr<PreparedPhoto>> prepared = renderer->Prepare(photo);
    if (!prepared) return state.SkipWithError(prepared.error().ToString().c_str());
  }
}

// The base of the 12 MP photo (1600x1200, 16-bit), as every per-image stage starts from.
struct Base {
  Base() {
    (void)InitVips(1);
    photo = ReadPhoto("coffee_12mp.jpg");
    render::PrepareContext context(photo, options);
    if (!render::RunPreparePipeline(context).ok()) std::abort();
    image = context.image;
    statistics = render::MeasureBase(image);
    recipe = ResolveAutoAdjustments(R1Recipes()[2], statistics);
  }
  std::string photo;
  RenderOptions options;
  vips::VImage image;
  PhotoStatistics statistics;
  Recipe recipe;
};

const Base& TheBase() {
  static const Base base;
  return base;
}

void BM_Stage_Measure(benchmark::State& state) {
  const Base& base = TheBase();
  for (auto _ : state) benchmark::DoNotOptimize(render::MeasureBase(base.image));
}

void BM_Stage_RecipePass(benchmark::State& state) {
  const Base& base = TheBase();
  std::vector<uint8_t> canvas(1600 * 1600 * 3, 255);
  const render::Rgb16View photo{static_cast<const uint16_t*>(base.image.data()),
                                base.image.width(), base.image.height()};
  for (auto _ : state) {
    render::ApplyRecipe(photo, base.recipe, {canvas.data(), 1600, 1600}, 0, 200);
    benchmark::DoNotOptimize(canvas.data());
  }
}

// A canvas as CanvasStep leaves it, for the two encoding stages.
struct Canvas {
  Canvas() {
    const Base& base = TheBase();
    render::RenderContext context(base.image, base.recipe, base.options);
    if (!render::CanvasStep(context).ok()) std::abort();
    pixels = std::move(context.canvas_pixels);
    image = vips::VImage::new_from_memory(pixels.data(), pixels.size(), 1600, 1600, 3,
                                          VIPS_FORMAT_UCHAR);
  }
  std::vector<uint8_t> pixels;
  vips::VImage image;
};

void BM_Stage_EncodeCanvas(benchmark::State& state) {
  static const Canvas canvas;
  for (auto _ : state) benchmark::DoNotOptimize(render::EncodeJpeg(canvas.image, 85, true));
}

void BM_Stage_Thumbnail(benchmark::State& state) {
  static const Canvas canvas;
  const Base& base = TheBase();
  render::RenderContext context(base.image, base.recipe, base.options);
  context.canvas_pixels = canvas.pixels;
  context.canvas = canvas.image;
  for (auto _ : state) {
    if (!render::ThumbnailStep(context).ok()) return state.SkipWithError("thumbnail failed");
  }
}

// With --benchmark_repetitions=N, the spread over the repetitions beside GB's mean and median.
benchmark::internal::Benchmark* WithSpread(benchmark::internal::Benchmark* b) {
  return b
      ->ComputeStatistics("min",
                          [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); })
      ->ComputeStatistics("max",
                          [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
}

void Register() {
  for (const char* photo : {"coffee_1mp.jpg", "coffee_4mp.jpg", "coffee_12mp.jpg"}) {
    const std::string stem = std::string(photo).substr(0, std::string(photo).find('.'));
    for (bool fast : {false, true}) {
      const std::string mode = fast ? "fast" : "ref";
      WithSpread(benchmark::RegisterBenchmark(("BM_Product/" + stem + "/r1/" + mode).c_str(),
                                   [=](benchmark::State& s) { BM_Product(s, photo, true, fast); }))
          ->ArgName("threads")
          ->Arg(1)
          ->Arg(2)
          ->Unit(benchmark::kMillisecond)
          ->MeasureProcessCPUTime()
          ->UseRealTime();
      WithSpread(benchmark::RegisterBenchmark(("BM_Stage_Prepare/" + stem + "/" + mode).c_str(),
                                   [=](benchmark::State& s) { BM_Stage_Prepare(s, photo, fast); }))
          ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
    }
    WithSpread(benchmark::RegisterBenchmark(("BM_Product/" + stem + "/planned/fast").c_str(),
                                 [=](benchmark::State& s) { BM_Product(s, photo, false, true); }))
        ->ArgName("threads")
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()
        ->UseRealTime();
  }
  WithSpread(benchmark::RegisterBenchmark("BM_Stage_Measure/1600x1200", BM_Stage_Measure))
      ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
  WithSpread(benchmark::RegisterBenchmark("BM_Stage_RecipePass/1600x1200", BM_Stage_RecipePass))
      ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
  WithSpread(benchmark::RegisterBenchmark("BM_Stage_EncodeCanvas/1600x1600", BM_Stage_EncodeCanvas))
      ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
  WithSpread(benchmark::RegisterBenchmark("BM_Stage_Thumbnail/1600x1600", BM_Stage_Thumbnail))
      ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
}

}  // namespace
}  // namespace enhancer

int main(int argc, char** argv) {
  enhancer::Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
