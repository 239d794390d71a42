// Product and ProductImage: the rows of `products` and `product_images`, as every layer sees them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enhancer {

// draft -> queued -> processing -> pending_review -> approved | rejected; failed when the input
// itself is bad (the reason is in Product::error).
enum class ProductStatus { kDraft, kQueued, kProcessing, kPendingReview, kApproved, kRejected, kFailed };

std::string_view ProductStatusName(ProductStatus s);
std::optional<ProductStatus> ParseProductStatus(std::string_view name);

// pending_review -> approved | rejected
enum class ImageStatus { kPendingReview, kApproved, kRejected };

std::string_view ImageStatusName(ImageStatus s);
std::optional<ImageStatus> ParseImageStatus(std::string_view name);

struct ProductImage {
  int64_t id = 0;
  int64_t product_id = 0;
  std::string storage_key;    // key of the enhanced image in the object store
  std::string thumbnail_key;  // key of its thumbnail
  std::string variant;        // the recipe's name, e.g. "faithful"
  std::string prompt;         // one line a person can read
  std::string recipe_json;    // the recipe that made it, as JSON
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
  ImageStatus status = ImageStatus::kPendingReview;
  std::string created_at;  // ISO 8601, UTC
};

// How a product's current images were planned: by whom, with what note for a reviewer, and the
// tokens a remote planner spent.
struct PlanRecord {
  std::string planner;  // "local", "gemini:<model>", "local (gemini fallback)"; empty: not yet
  std::string note;
  int64_t prompt_tokens = 0;
  int64_t output_tokens = 0;  // candidates + thoughts
};

struct Product {
  int64_t id = 0;
  std::string name;
  std::string category;
  std::string raw_image_url;  // http(s) URL, or a key in the object store
  ProductStatus status = ProductStatus::kDraft;
  std::string error;        // why the last attempt failed; empty otherwise
  std::string source_hash;  // hex SHA-256 prefix of the raw photo the current images came from
  std::string created_at;   // ISO 8601, UTC
  std::string updated_at;
  PlanRecord plan;          // how the current images were planned
};

// The NotFound messages every Repository gives: "product 42 does not exist".
inline std::string ProductMissing(int64_t id) {
  return "product " + std::to_string(id) + " does not exist";
}
inline std::string ImageMissing(int64_t id) {
  return "image " + std::to_string(id) + " does not exist";
}

struct NewProduct {
  std::string name;
  std::string category;
  std::string raw_image_url;
};

}  // namespace enhancer
