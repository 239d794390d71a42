#include "service/photo_enhancer.h"

#include <set>

namespace enhancer {

Result<EnhancedPhoto> PhotoEnhancer::Enhance(std::string_view photo, const EnhanceRequest& request,
                                             std::stop_token stop) const {
  if (!request.recipes && (request.count < 1 || request.count > 10)) {
    return InvalidArgumentError("count must be between 1 and 10, got " +
                                std::to_string(request.count));
  }
  if (request.recipes && request.recipes->empty()) {
    return InvalidArgumentError("no recipes given");
  }
  Result<std::unique_ptr<PreparedPhoto>> prepared = [&] {
    StageTimer timer(metrics_ ? &metrics_->decode : nullptr);
    return renderer_.Prepare(photo);
  }();
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

  // Names become file and object names: keep them distinct whatever the planner said.
  std::set<std::string> names;
  for (const Recipe& given : recipes) {
    if (stop.stop_requested()) return CancelledError("stopped while rendering");
    Recipe recipe = Clamp(given);
    std::string name = recipe.name;
    for (int n = 2; !names.insert(name).second; ++n) name = recipe.name + "-" + std::to_string(n);
    recipe.name = name;
    Result<RenderedImage> rendered = [&] {
      StageTimer timer(metrics_ ? &metrics_->render : nullptr);
      return renderer_.Render(base, recipe, stop);
    }();
    if (!rendered) return rendered.error().WithContext("rendering " + recipe.name);
    // A renderer's note (a generative render that fell back to libvips) joins the planner's, so
    // it is recorded with the product and shown to the reviewer.
    if (!rendered->note.empty()) out.note += (out.note.empty() ? "" : "; ") + rendered->note;
    out.images.push_back({std::move(recipe), *std::move(rendered)});
  }
  return out;
}

}  // namespace enhancer
