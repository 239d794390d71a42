// Products and images read from query rows, and the check on images about to be stored: shared by
// the SQLite and PostgreSQL repositories, whose SELECTs list the same columns in the same order
// (each repository's kProductColumns and kImageColumns). A Row gives Text(column) and
// Int64(column).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/product.h"

namespace enhancer {

// id, name, category, raw_image_url, status, error, source_hash, created_at, updated_at,
// planner, planner_note, planner_prompt_tokens, planner_output_tokens
template <typename Row>
Result<Product> ProductFromRow(const Row& row) {
  Product p;
  p.id = row.Int64(0);
  p.name = row.Text(1);
  p.category = row.Text(2);
  p.raw_image_url = row.Text(3);
  const std::string status = row.Text(4);
  std::optional<ProductStatus> parsed = ParseProductStatus(status);
  if (!parsed) {
    return InternalError("product " + std::to_string(p.id) + " has unknown status '" + status +
                         "'");
  }
  p.status = *parsed;
  p.error = row.Text(5);
  p.source_hash = row.Text(6);
  p.created_at = row.Text(7);
  p.updated_at = row.Text(8);
  p.plan = {row.Text(9), row.Text(10), row.Int64(11), row.Int64(12)};
  return p;
}

// id, product_id, image_url, thumbnail_url, variant, prompt, recipe, width, height, bytes,
// status, created_at
template <typename Row>
Result<ProductImage> ImageFromRow(const Row& row) {
  ProductImage image;
  image.id = row.Int64(0);
  image.product_id = row.Int64(1);
  image.storage_key = row.Text(2);
  image.thumbnail_key = row.Text(3);
  image.variant = row.Text(4);
  image.prompt = row.Text(5);
  image.recipe_json = row.Text(6);
  image.width = static_cast<int>(row.Int64(7));
  image.height = static_cast<int>(row.Int64(8));
  image.bytes = row.Int64(9);
  const std::string status = row.Text(10);
  std::optional<ImageStatus> parsed = ParseImageStatus(status);
  if (!parsed) {
    return InternalError("image " + std::to_string(image.id) + " has unknown status '" + status +
                         "'");
  }
  image.status = *parsed;
  image.created_at = row.Text(11);
  return image;
}

// Every image has a storage key, and no two share one. InvalidArgument otherwise.
inline Status ValidateNewImages(const std::vector<ProductImage>& images) {
  std::set<std::string_view> keys;
  for (const ProductImage& image : images) {
    if (image.storage_key.empty()) return InvalidArgumentError("an image has no storage key");
    if (!keys.insert(image.storage_key).second) {
      return InvalidArgumentError("two images share the storage key " + image.storage_key);
    }
  }
  return OkStatus();
}

}  // namespace enhancer
