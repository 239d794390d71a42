#include "service/photo_enhancer.h"

#include <atomic>
#include <functional>
#include <set>


namespace enhancer {
namespace {

// The recipe as it will be rendered: clamped, a name no other image of the photo has (names
// become file and object names), and what it asks to measure measured.
Recipe Finalise(const Recipe& given, const PreparedPhoto& photo, std::set<std::string>& names) {
  Recipe recipe = RecipeFor(photo, given);
  const std::string base = recipe.name;
  for (int n = 2; !names.insert(recipe.name).second; ++n) recipe.name = base + "-" + std::to_string(n);
  return recipe;
}

}  // namespace

Result<EnhancedPhoto> PhotoEnhancer::Enhance(std::string_view photo, const EnhanceRequest& request,
                                             std::stop_token stop) const {
  if (!request.recipes && (request.count < 1 || request.count > 10)) {
    return InvalidArgumentError("count must be between 1 and 10, got " +
                                std::to_string(request.count));
  }
  if (request.recipes && request.recipes->empty()) {
    return InvalidArgumentError("no recipes given");
  }
  // CPU work goes to the pool when there is one; this thread waits for it. A task that throws
  // (an allocation failing) would end the process on a pool thread: it is caught here and
  // reported through `failed`.
  std::atomic<bool> failed{false};
  auto on_cpu = [this, &failed](std::vector<std::function<void()>> tasks) {
    for (std::function<void()>& task : tasks) {
      task = [task = std::move(task), &failed] {
        try {
          task();
        } catch (...) {
          failed = true;
        }
      };
    }
    if (pool_ != nullptr) return pool_->RunAll(std::move(tasks));
    for (std::function<void()>& task : tasks) task();
  };

  Result<std::unique_ptr<PreparedPhoto>> prepared = InternalError("not prepared");
  on_cpu({[&] {
    StageTimer timer(metrics_ ? &metrics_->decode : nullptr);
    prepared = renderer_.Prepare(photo);
  }});
  if (failed) return InternalError("decoding failed unexpectedly (out of memory?)");
  if (!prepared) return prepared.error();
  const PreparedPhoto& base = **prepared;

  EnhancedPhoto out;
  out.source_width = base.source_width();
  out.source_height = base.source_height();
  std::vector<Recipe> recipes;
  if (request.recipes) {
    recipes = *request.recipes;
    out.planner = "given";
  } else {
    PlanRequest plan_request{&base.preview(), request.product_name, request.category,
                             request.count};
    Result<Plan> plan = [&] {
      StageTimer timer(metrics_ ? &metrics_->plan : nullptr);
      return planner_.MakePlan(plan_request, stop);
    }();
    if (!plan) return plan.error().WithContext("planning");
    recipes = std::move(plan->recipes);
    out.planner = std::move(plan->planner);
    out.note = std::move(plan->note);
    out.tokens = plan->tokens;
  }
  if (stop.stop_requested()) return CancelledError("stopped before rendering");

  std::set<std::string> names;
  for (const Recipe& given : recipes) {
    out.images.push_back({Finalise(given, base, names), RenderedImage{}});
  }
  if (request.original) {
    Recipe identity;
    identity.name = "original";
    identity.prompt = "The photo as it came, fitted to the same canvas; no adjustment.";
    out.original = EnhancedImage{Clamp(identity), RenderedImage{}};
  }

  // Every image of the photo at once: they share the base and nothing else.
  std::vector<EnhancedImage*> todo;
  for (EnhancedImage& image : out.images) todo.push_back(&image);
  if (out.original) todo.push_back(&*out.original);
  std::vector<Status> statuses(todo.size());
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < todo.size(); ++i) {
    tasks.push_back([&, i] {
      if (stop.stop_requested()) {
        statuses[i] = CancelledError("stopped while rendering");
        return;
      }
      StageTimer timer(metrics_ ? &metrics_->render : nullptr);
      Result<RenderedImage> rendered = renderer_.Render(base, todo[i]->recipe, stop);
      if (rendered) {
        todo[i]->rendered = *std::move(rendered);
      } else {
        statuses[i] = rendered.error().WithContext("rendering " + todo[i]->recipe.name);
      }
    });
  }
  // A remote renderer waits on the network: on this thread, not the pool's.
  if (renderer_.remote()) {
    for (std::function<void()>& task : tasks) task();
  } else {
    on_cpu(std::move(tasks));
  }
  if (failed) return InternalError("rendering failed unexpectedly (out of memory?)");
  for (Status& status : statuses) {
    if (!status.ok()) return std::move(status);
  }
  // A renderer's note (a generative render that fell back to libvips) joins the planner's, so
  // it is recorded with the product and shown to the reviewer.
  for (const EnhancedImage* image : todo) {
    if (!image->rendered.note.empty()) {
      out.note += (out.note.empty() ? "" : "; ") + image->rendered.note;
    }
  }
  return out;
}

}  // namespace enhancer
