// The whole enhance of one product, as the worker does it: Prepare (decode once, fit, preview),
// RulePlanner (3 recipes), Render of each recipe (canvas JPEG + thumbnail JPEG), default
// RenderOptions. The benchmark's time is wall-clock per product. The counters are CPU time of
// the whole process per product (libvips works on its own threads, which the benchmark's own
// "CPU" column does not see), in total and by stage: on a busy machine they are the steadier
// figures.
//
// VIPS_CONCURRENCY in the environment sets libvips' threads per pipeline (default: cores).
#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "plan/rule_planner.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

std::string ReadPhoto(const std::string& name) {
  std::ifstream in(std::string(ENHANCER_SHARED_DIR) + "/testdata/images/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

void BM_EnhanceProduct(benchmark::State& state, const std::string& name) {
  const std::string photo = ReadPhoto(name);
  if (photo.empty()) {
    state.SkipWithError(("cannot read " + name).c_str());
    return;
  }
  std::unique_ptr<Renderer> renderer = MakeVipsRenderer(RenderOptions{});
  RulePlanner planner;
  double prepare = 0, plan = 0, render = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    double start = ProcessCpuSeconds();
    Result<std::unique_ptr<PreparedPhoto>> prepared = renderer->Prepare(photo);
    if (!prepared) {
      state.SkipWithError(prepared.error().ToString().c_str());
      return;
    }
    prepare += ProcessCpuSeconds() - start;

    start = ProcessCpuSeconds();
    Result<Plan> recipes = planner.MakePlan({&(*prepared)->preview(), "", "", 3}, {});
    if (!recipes) {
      state.SkipWithError(recipes.error().ToString().c_str());
      return;
    }
    plan += ProcessCpuSeconds() - start;

    start = ProcessCpuSeconds();
    for (const Recipe& recipe : recipes->recipes) {
      Result<RenderedImage> out = renderer->Render(**prepared, recipe, {});
      if (!out) {
        state.SkipWithError(out.error().ToString().c_str());
        return;
      }
      bytes += out->image.jpeg.size() + out->thumbnail.jpeg.size();
      benchmark::DoNotOptimize(out->image.jpeg.data());
    }
    render += ProcessCpuSeconds() - start;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["cpu_ms"] = 1e3 * (prepare + plan + render) / n;
  state.counters["prepare_cpu_ms"] = 1e3 * prepare / n;
  state.counters["plan_cpu_ms"] = 1e3 * plan / n;
  state.counters["render3_cpu_ms"] = 1e3 * render / n;
  state.counters["out_kB"] = bytes / n / 1024.0;
}

BENCHMARK_CAPTURE(BM_EnhanceProduct, coffee_1mp, std::string("coffee_1mp.jpg"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_EnhanceProduct, coffee_4mp, std::string("coffee_4mp.jpg"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_EnhanceProduct, coffee_12mp, std::string("coffee_12mp.jpg"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace enhancer

BENCHMARK_MAIN();
