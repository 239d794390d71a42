// The API's JSON shapes (DESIGN.md "API shapes"): products, images, lists and errors, bare.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "service/product_service.h"

namespace enhancer {

nlohmann::json ImageJson(const ImageView& image);
nlohmann::json ProductJson(const ProductView& product);
nlohmann::json ProductListJson(const ProductListView& list);
// {"error": {"code": "not_found", "message": "...", "field": "..."}}
nlohmann::json ErrorJson(const Status& status);
// The HTTP status for a Status code.
int HttpStatusFor(StatusCode code);

}  // namespace enhancer
