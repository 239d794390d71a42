// ProductService: what the API can do with products, images and stored media. The HTTP routes
// call this, never the adapters behind it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/repository.h"
#include "queue/queue.h"
#include "store/object_store.h"

namespace enhancer {

struct ImageView {
  ProductImage image;
  std::string image_url;      // where a browser loads it
  std::string thumbnail_url;
};

struct ProductView {
  Product product;
  std::string raw_image_view_url;  // where a browser loads the raw photo (a store key resolved)
  std::vector<ImageView> images;
};

struct ProductListView {
  std::vector<ProductView> items;
  std::optional<int64_t> next_after_id;
};

struct UploadedPhoto {
  std::string key;  // use as a product's raw_image_url
  std::string url;  // where a browser loads it
};

struct StoredMedia {
  std::string bytes;
  std::string content_type;
};

class ProductService {
 public:
  // None is owned; all outlive the service and are thread-safe, so is the service.
  ProductService(Repository& repository, Queue& queue, ObjectStore& store,
                 int64_t max_upload_bytes = 50 * 1024 * 1024)
      : repository_(repository), queue_(queue), store_(store), max_upload_bytes_(max_upload_bytes) {}

  // InvalidArgument with field() set for a missing or malformed name, category or raw_image_url.
  Result<ProductView> Create(const NewProduct& product);
  Result<ProductView> Get(int64_t id);
  Result<ProductListView> List(const ProductFilter& filter);
  // Sets the product to queued and sends its id to the queue; `count` (1-10) overrides the
  // configured number of images for this run.
  Result<ProductView> Enhance(int64_t id, std::optional<int> count);
  // Enhance for many products, their messages sent in batches (SQS: 10 a call). One result per
  // id, in order: the queued product, or why that one was not queued (others still are).
  std::vector<Result<ProductView>> EnhanceMany(const std::vector<int64_t>& ids,
                                               std::optional<int> count);
  // Deletes the product, its image rows and their stored objects. NotFound.
  Status Delete(int64_t id);
  Result<std::vector<ImageView>> Images(int64_t product_id);
  Result<ImageView> Review(int64_t image_id, ImageStatus status);
  Result<StatusCounts> Counts() { return repository_.CountByStatus(); }
  // Stores an uploaded raw photo under a key derived from its content (the same photo uploaded
  // twice is stored once). InvalidArgument when it is empty, too large or not an image.
  Result<UploadedPhoto> Upload(std::string_view bytes);
  // An object of the store, for GET /media/{key}. NotFound.
  Result<StoredMedia> Media(std::string_view key);

 private:
  ImageView View(ProductImage image) const;
  Result<ProductView> ViewOf(Product product);

  Repository& repository_;
  Queue& queue_;
  ObjectStore& store_;
  int64_t max_upload_bytes_;
};

}  // namespace enhancer
