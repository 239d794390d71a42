// Repository: the products and their enhanced images, stored durably.
//
// Implementations: SQLite (the embedded default) and PostgreSQL. All methods are thread-safe.
// Every method returns Unavailable when the database cannot be reached or is busy past its
// timeout, so the caller may retry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/product.h"

namespace enhancer {

struct ProductFilter {
  std::optional<ProductStatus> status;
  std::optional<std::string> category;
  int limit = 50;                       // 1-200
  std::optional<int64_t> after_id;      // cursor: only products with id > after_id
};

struct ProductPage {
  std::vector<Product> items;           // ordered by id ascending
  std::optional<int64_t> next_after_id; // set when more products match
};

struct StatusCounts {
  std::vector<std::pair<ProductStatus, int64_t>> counts;  // every status, zero included
};

class Repository {
 public:
  virtual ~Repository() = default;

  // Creates or upgrades the tables to the newest schema version. Idempotent.
  virtual Status Migrate() = 0;

  // Inserts a product with status draft. Returns it as stored (id, timestamps).
  // InvalidArgument when name or raw_image_url is empty.
  virtual Result<Product> CreateProduct(const NewProduct& product) = 0;

  // NotFound: "product 42 does not exist".
  virtual Result<Product> GetProduct(int64_t id) = 0;

  // InvalidArgument when filter.limit is outside 1-200.
  virtual Result<ProductPage> ListProducts(const ProductFilter& filter) = 0;

  // Sets status and error (empty clears it) and touches updated_at. NotFound.
  virtual Status SetProductStatus(int64_t id, ProductStatus status, const std::string& error) = 0;

  // In one transaction: replaces the product's images that are still pending review with
  // `images` (rows with the same storage_key are updated, not duplicated), records the source
  // hash, and sets the product to pending_review with no error. NotFound. InvalidArgument when an
  // image has an empty storage_key or two share one (nothing is written then).
  virtual Status CompleteProduct(int64_t product_id, const std::string& source_hash,
                                 const std::vector<ProductImage>& images) = 0;

  // The product's images, oldest first. An unknown product has none.
  virtual Result<std::vector<ProductImage>> ListImages(int64_t product_id) = 0;

  // NotFound: "image 7 does not exist".
  virtual Result<ProductImage> GetImage(int64_t image_id) = 0;

  // Sets one image's review status. Once every image of the product is reviewed and at least one
  // is approved the product becomes approved; all rejected makes it rejected. Returns the image.
  virtual Result<ProductImage> SetImageStatus(int64_t image_id, ImageStatus status) = 0;

  virtual Result<StatusCounts> CountByStatus() = 0;

  // Records how the product's images were planned. NotFound.
  virtual Status RecordPlan(int64_t product_id, const PlanRecord& plan) = 0;

  // Deletes the product and its image rows in one transaction and returns the images it had (so
  // the caller can remove their stored objects). NotFound.
  virtual Result<std::vector<ProductImage>> DeleteProduct(int64_t id) = 0;
};

}  // namespace enhancer
