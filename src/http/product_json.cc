#include "http/product_json.h"

namespace enhancer {

nlohmann::json ImageJson(const ImageView& view) {
  const ProductImage& image = view.image;
  nlohmann::json recipe = nlohmann::json::parse(image.recipe_json, nullptr, false);
  if (recipe.is_discarded()) recipe = nullptr;
  return {{"id", image.id},
          {"product_id", image.product_id},
          {"image_url", view.image_url},
          {"thumbnail_url", view.thumbnail_url},
          {"variant", image.variant},
          {"prompt", image.prompt},
          {"recipe", recipe},
          {"width", image.width},
          {"height", image.height},
          {"bytes", image.bytes},
          {"status", ImageStatusName(image.status)},
          {"created_at", image.created_at}};
}

nlohmann::json ProductJson(const ProductView& view) {
  const Product& p = view.product;
  nlohmann::json images = nlohmann::json::array();
  for (const ImageView& image : view.images) images.push_back(ImageJson(image));
  return {{"id", p.id},
          {"name", p.name},
          {"category", p.category},
          {"raw_image_url", p.raw_image_url},
          {"raw_image_view_url", view.raw_image_view_url},
          {"status", ProductStatusName(p.status)},
          {"error", p.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.error)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"planner", p.plan.planner.empty()
                          ? nlohmann::json(nullptr)
                          : nlohmann::json{{"name", p.plan.planner},
                                           {"note", p.plan.note.empty() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(p.plan.note)},
                                           {"prompt_tokens", p.plan.prompt_tokens},
                                           {"output_tokens", p.plan.output_tokens}}},
          {"images", std::move(images)}};
}

nlohmann::json ProductListJson(const ProductListView& list) {
  nlohmann::json items = nlohmann::json::array();
  for (const ProductView& product : list.items) items.push_back(ProductJson(product));
  return {{"items", std::move(items)},
          {"next_cursor", list.next_after_id ? nlohmann::json(std::to_string(*list.next_after_id))
                                             : nlohmann::json(nullptr)}};
}

nlohmann::json ErrorJson(const Status& status) {
  nlohmann::json error = {{"code", StatusCodeName(status.code())}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return {{"error", std::move(error)}};
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
    case StatusCode::kCancelled: return 499;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

}  // namespace enhancer
