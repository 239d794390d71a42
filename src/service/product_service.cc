#include "service/product_service.h"

#include "core/sha256.h"
#include "fetch/image_type.h"
#include "service/product_message.h"
#include "store/content_type.h"

namespace enhancer {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxCategoryBytes = 100;
constexpr size_t kMaxUrlBytes = 2048;

Status CheckText(std::string_view field, const std::string& value, size_t max, bool required) {
  if (required && value.empty()) {
    return InvalidArgumentError(std::string(field) + " is required").WithField(std::string(field));
  }
  if (value.size() > max) {
    return InvalidArgumentError(std::string(field) + " is longer than " + std::to_string(max) +
                                " bytes")
        .WithField(std::string(field));
  }
  for (unsigned char c : value) {
    if (c < 0x20) {
      return InvalidArgumentError(std::string(field) + " contains control characters")
          .WithField(std::string(field));
    }
  }
  return OkStatus();
}

}  // namespace

Result<ProductView> ProductService::Create(const NewProduct& product) {
  ENHANCER_RETURN_IF_ERROR(CheckText("name", product.name, kMaxNameBytes, true));
  ENHANCER_RETURN_IF_ERROR(CheckText("category", product.category, kMaxCategoryBytes, false));
  ENHANCER_RETURN_IF_ERROR(CheckText("raw_image_url", product.raw_image_url, kMaxUrlBytes, true));
  const std::string& url = product.raw_image_url;
  bool http = url.starts_with("http://") || url.starts_with("https://");
  if (!http && !IsValidObjectKey(url)) {
    return InvalidArgumentError("raw_image_url must be an http:// or https:// URL or a stored object key")
        .WithField("raw_image_url");
  }
  Result<Product> created = repository_.CreateProduct(product);
  if (!created) return created.error();
  return ViewOf(*std::move(created));
}

Result<ProductView> ProductService::Get(int64_t id) {
  Result<Product> product = repository_.GetProduct(id);
  if (!product) return product.error();
  return ViewOf(*std::move(product));
}

Result<ProductListView> ProductService::List(const ProductFilter& filter) {
  if (filter.limit < 1 || filter.limit > 200) {
    return InvalidArgumentError("limit must be between 1 and 200").WithField("limit");
  }
  Result<ProductPage> page = repository_.ListProducts(filter);
  if (!page) return page.error();
  ProductListView out;
  out.next_after_id = page->next_after_id;
  for (Product& product : page->items) {
    Result<ProductView> view = ViewOf(std::move(product));
    if (!view) return view.error();
    out.items.push_back(*std::move(view));
  }
  return out;
}

Result<ProductView> ProductService::Enhance(int64_t id, std::optional<int> count) {
  if (count && (*count < 1 || *count > 10)) {
    return InvalidArgumentError("count must be between 1 and 10").WithField("count");
  }
  Result<Product> product = repository_.GetProduct(id);
  if (!product) return product.error();
  // Queued before it is sent: a worker that receives the message at once sees a product that
  // asks for work, never one that still looks finished.
  ENHANCER_RETURN_IF_ERROR(repository_.SetProductStatus(id, ProductStatus::kQueued, ""));
  Result<std::string> sent = queue_.Send(FormatProductMessage({id, count}));
  if (!sent) {
    Status reverted = repository_.SetProductStatus(id, product->status, product->error);
    (void)reverted;  // the send error is the one to report
    return sent.error().WithContext("queueing product " + std::to_string(id));
  }
  return Get(id);
}

std::vector<Result<ProductView>> ProductService::EnhanceMany(const std::vector<int64_t>& ids,
                                                             std::optional<int> count) {
  std::vector<Result<ProductView>> results(ids.size(), InternalError("not queued"));
  if (count && (*count < 1 || *count > 10)) {
    for (auto& r : results) r = InvalidArgumentError("count must be between 1 and 10").WithField("count");
    return results;
  }
  // As Enhance: each product is queued before its message is sent; a send that fails puts the
  // product back as it was.
  std::vector<size_t> sending;
  std::vector<Product> before;
  std::vector<SendEntry> entries;
  for (size_t i = 0; i < ids.size(); ++i) {
    Result<Product> product = repository_.GetProduct(ids[i]);
    if (!product) {
      results[i] = product.error();
      continue;
    }
    Status queued = repository_.SetProductStatus(ids[i], ProductStatus::kQueued, "");
    if (!queued.ok()) {
      results[i] = queued;
      continue;
    }
    sending.push_back(i);
    before.push_back(*std::move(product));
    entries.push_back({FormatProductMessage({ids[i], count}), std::chrono::seconds(0)});
  }
  std::vector<Result<std::string>> sent = queue_.SendBatch(entries);
  for (size_t k = 0; k < sending.size(); ++k) {
    const size_t i = sending[k];
    if (k < sent.size() && sent[k]) {
      results[i] = Get(ids[i]);
      continue;
    }
    Status reverted = repository_.SetProductStatus(ids[i], before[k].status, before[k].error);
    (void)reverted;  // the send error is the one to report
    const Status error = k < sent.size() ? sent[k].error() : InternalError("not sent");
    results[i] = error.WithContext("queueing product " + std::to_string(ids[i]));
  }
  return results;
}

Status ProductService::Delete(int64_t id) {
  Result<std::vector<ProductImage>> removed = repository_.DeleteProduct(id);
  if (!removed) return removed.error();
  // The rows are gone; an object that cannot be deleted now is an orphan, not a broken product.
  Status first_error;
  for (const ProductImage& image : *removed) {
    for (const std::string& key : {image.storage_key, image.thumbnail_key}) {
      Status deleted = store_.Delete(key);
      if (!deleted.ok() && first_error.ok()) {
        first_error = deleted.WithContext("product " + std::to_string(id) +
                                          " was deleted, but its stored image " + key + " was not");
      }
    }
  }
  return first_error;
}

Result<std::vector<ImageView>> ProductService::Images(int64_t product_id) {
  Result<Product> product = repository_.GetProduct(product_id);
  if (!product) return product.error();
  Result<std::vector<ProductImage>> images = repository_.ListImages(product_id);
  if (!images) return images.error();
  std::vector<ImageView> out;
  for (ProductImage& image : *images) out.push_back(View(std::move(image)));
  return out;
}

Result<ImageView> ProductService::Review(int64_t image_id, ImageStatus status) {
  Result<ProductImage> image = repository_.SetImageStatus(image_id, status);
  if (!image) return image.error();
  return View(*std::move(image));
}

Result<UploadedPhoto> ProductService::Upload(std::string_view bytes) {
  if (bytes.empty()) return InvalidArgumentError("the uploaded file is empty").WithField("file");
  if (static_cast<int64_t>(bytes.size()) > max_upload_bytes_) {
    return InvalidArgumentError("the uploaded file is larger than the limit of " +
                                std::to_string(max_upload_bytes_) + " bytes")
        .WithField("file");
  }
  std::optional<ImageType> type = SniffImageType(bytes);
  if (!type) {
    std::string_view kind = GuessNonImageKind(bytes);
    return InvalidArgumentError(kind.empty() ? "the uploaded file is not an image"
                                             : "the uploaded file is not an image (looks like " +
                                                   std::string(kind) + ")")
        .WithField("file");
  }
  std::string key = "uploads/" + Sha256Hex(bytes).substr(0, 32) + "." + std::string(ImageTypeName(*type));
  ENHANCER_RETURN_IF_ERROR(store_.Put(key, bytes, ImageTypeMime(*type)));
  return UploadedPhoto{key, store_.PublicUrl(key)};
}

Result<StoredMedia> ProductService::Media(std::string_view key) {
  if (!IsValidObjectKey(key)) return NotFoundError("no such media: " + std::string(key));
  Result<std::string> bytes = store_.Get(key);
  if (!bytes) return bytes.error();
  return StoredMedia{*std::move(bytes), std::string(ContentTypeForKey(key))};
}

ImageView ProductService::View(ProductImage image) const {
  ImageView view;
  view.image_url = store_.PublicUrl(image.storage_key);
  view.thumbnail_url = store_.PublicUrl(image.thumbnail_key);
  view.image = std::move(image);
  return view;
}

Result<ProductView> ProductService::ViewOf(Product product) {
  Result<std::vector<ProductImage>> images = repository_.ListImages(product.id);
  if (!images) return images.error();
  ProductView view{std::move(product), "", {}};
  const std::string& raw = view.product.raw_image_url;
  bool http = raw.starts_with("http://") || raw.starts_with("https://");
  view.raw_image_view_url = http || !IsValidObjectKey(raw) ? raw : store_.PublicUrl(raw);
  for (ProductImage& image : *images) view.images.push_back(View(std::move(image)));
  return view;
}

}  // namespace enhancer
