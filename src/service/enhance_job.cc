#include "service/enhance_job.h"

#include <spdlog/spdlog.h>

#include <set>

#include "core/log_context.h"
#include "core/sha256.h"

namespace enhancer {
namespace {

constexpr size_t kSourceHashChars = 16;

bool IsHttpUrl(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

bool IsDone(ProductStatus s) {
  return s == ProductStatus::kPendingReview || s == ProductStatus::kApproved ||
         s == ProductStatus::kRejected;
}

}  // namespace

std::string ImageKey(int64_t product_id, std::string_view source_hash, int index,
                     std::string_view variant) {
  return "products/" + std::to_string(product_id) + "/" + std::string(source_hash) + "/" +
         std::to_string(index) + "-" + std::string(variant) + ".jpg";
}

std::string ThumbnailKey(int64_t product_id, std::string_view source_hash, int index,
                         std::string_view variant) {
  return "products/" + std::to_string(product_id) + "/" + std::string(source_hash) + "/" +
         std::to_string(index) + "-" + std::string(variant) + "_thumb.jpg";
}

Status EnhanceJob::HandleMessage(const QueueMessage& message, std::stop_token stop) const {
  if (metrics_) {
    metrics_->received.Increment();
    metrics_->in_flight.Add(1);
  }
  Status status = Handle(message, stop);
  if (metrics_) {
    metrics_->in_flight.Add(-1);
    (IsTransient(status.code()) ? metrics_->retried : metrics_->deleted).Increment();
  }
  return status;
}

Status EnhanceJob::Handle(const QueueMessage& message, std::stop_token stop) const {
  ScopedLogContext context(message.id);
  Result<ProductMessage> parsed = ParseProductMessage(message.body);
  if (!parsed) {
    spdlog::error("Discarding message {}: {}", message.id, parsed.error().message());
    return parsed.error();
  }
  context.SetProduct(parsed->product_id);
  spdlog::info("Received message for product_id: {}", parsed->product_id);
  Status status = Run(*parsed, message.receive_count, /*force=*/false, stop);
  if (status.ok()) {
    spdlog::info("Successfully processed product {}", parsed->product_id);
  } else if (IsTransient(status.code())) {
    spdlog::warn("Product {} failed on attempt {} and will be retried: {}", parsed->product_id,
                 message.receive_count, status.ToString());
  } else {
    spdlog::error("Product {} failed: {}", parsed->product_id, status.ToString());
  }
  return status;
}

Status EnhanceJob::Run(const ProductMessage& message, int attempt, bool force,
                       std::stop_token stop) const {
  Result<Product> product = repository_.GetProduct(message.product_id);
  if (!product) {
    // A product that does not exist has nowhere to record the failure: the caller logs it.
    if (product.error().code() != StatusCode::kNotFound) {
      RecordFailure(message.product_id, product.error(), attempt);
    }
    return product.error();
  }
  if (!force && IsDone(product->status)) {
    spdlog::info("Product {} is already {}: nothing to do", product->id,
                 ProductStatusName(product->status));
    return OkStatus();
  }
  Status marked = repository_.SetProductStatus(product->id, ProductStatus::kProcessing, "");
  if (!marked.ok()) {
    RecordFailure(product->id, marked, attempt);
    return marked;
  }
  Status status = Enhance(*product, message.count.value_or(options_.default_count), stop);
  if (!status.ok()) RecordFailure(product->id, status, attempt);
  if (metrics_ && status.ok()) metrics_->products_ok.Increment();
  return status;
}

Result<std::string> EnhanceJob::Download(const Product& product, std::stop_token stop) const {
  StageTimer timer(metrics_ ? &metrics_->download : nullptr);
  const std::string& source = product.raw_image_url;
  if (IsHttpUrl(source) || source.find("://") != std::string::npos) {
    Result<FetchedPhoto> fetched = fetcher_.Fetch(source, stop);
    if (!fetched) return fetched.error();
    return std::move(fetched->bytes);
  }
  if (!IsValidObjectKey(source)) {
    return InvalidArgumentError("raw_image_url is neither an http(s) URL nor a stored object key");
  }
  return store_.Get(source);
}

Status EnhanceJob::Enhance(const Product& product, int count, std::stop_token stop) const {
  Result<std::string> photo = Download(product, stop);
  if (!photo) return photo.error().WithContext("downloading the raw image");
  std::string source_hash = Sha256Hex(*photo).substr(0, kSourceHashChars);

  EnhanceRequest request{product.name, product.category, count, std::nullopt};
  Result<EnhancedPhoto> enhanced = enhancer_.Enhance(*photo, request, stop);
  if (!enhanced) return enhanced.error();

  PlanRecord plan{enhanced->planner, enhanced->note, enhanced->tokens.prompt,
                  enhanced->tokens.candidates + enhanced->tokens.thoughts};
  if (metrics_) {
    metrics_->prompt_tokens.Increment(static_cast<double>(plan.prompt_tokens));
    metrics_->output_tokens.Increment(static_cast<double>(plan.output_tokens));
  }
  if (!plan.note.empty()) spdlog::warn("Note for product {}: {}", product.id, plan.note);
  ENHANCER_RETURN_IF_ERROR(repository_.RecordPlan(product.id, plan).WithContext("recording the plan"));

  std::vector<ProductImage> rows;
  int index = 0;
  for (const EnhancedImage& image : enhanced->images) {
    if (stop.stop_requested()) return CancelledError("stopped while uploading");
    ++index;
    ProductImage row;
    row.product_id = product.id;
    row.storage_key = ImageKey(product.id, source_hash, index, image.recipe.name);
    row.thumbnail_key = ThumbnailKey(product.id, source_hash, index, image.recipe.name);
    row.variant = image.recipe.name;
    row.prompt = image.recipe.prompt;
    row.recipe_json = ToJson(image.recipe);
    row.width = image.rendered.image.width;
    row.height = image.rendered.image.height;
    row.bytes = static_cast<int64_t>(image.rendered.image.jpeg.size());
    {
      StageTimer timer(metrics_ ? &metrics_->upload : nullptr);
      ENHANCER_RETURN_IF_ERROR(
          store_.Put(row.storage_key, image.rendered.image.jpeg, "image/jpeg").WithContext("uploading"));
      ENHANCER_RETURN_IF_ERROR(store_.Put(row.thumbnail_key, image.rendered.thumbnail.jpeg, "image/jpeg")
                                   .WithContext("uploading"));
    }
    if (metrics_) {
      metrics_->bytes_uploaded.Increment(
          static_cast<double>(image.rendered.image.jpeg.size() + image.rendered.thumbnail.jpeg.size()));
    }
    rows.push_back(std::move(row));
  }
  // Images still pending review from an earlier run are replaced by this one; their objects go
  // once the new rows are committed, so a crash in between leaves extra objects, never missing ones.
  Result<std::vector<ProductImage>> before = repository_.ListImages(product.id);
  if (!before) return before.error().WithContext("listing earlier images");
  {
    StageTimer timer(metrics_ ? &metrics_->database : nullptr);
    ENHANCER_RETURN_IF_ERROR(
        repository_.CompleteProduct(product.id, source_hash, rows).WithContext("recording images"));
  }
  RemoveSupersededObjects(*before, rows);
  return OkStatus();
}

void EnhanceJob::RemoveSupersededObjects(const std::vector<ProductImage>& before,
                                         const std::vector<ProductImage>& now) const {
  std::set<std::string> kept;
  for (const ProductImage& image : now) kept.insert(image.storage_key);
  for (const ProductImage& image : before) {
    if (image.status != ImageStatus::kPendingReview || kept.count(image.storage_key)) continue;
    for (const std::string& key : {image.storage_key, image.thumbnail_key}) {
      Status deleted = store_.Delete(key);
      if (!deleted.ok()) spdlog::warn("Could not delete superseded object {}: {}", key, deleted.ToString());
    }
  }
}

void EnhanceJob::RecordFailure(int64_t product_id, const Status& error, int attempt) const {
  // This attempt's failure must not undo what is already done: another delivery of the same
  // message may have finished the product meanwhile, or it was finished (even reviewed) before
  // this duplicate delivery failed to read it. Unreadable now: leave it as it is too.
  Result<Product> current = repository_.GetProduct(product_id);
  if (!current) {
    spdlog::error("Could not record the failure of product {} ({}): {}", product_id,
                  error.ToString(), current.error().ToString());
    return;
  }
  if (IsDone(current->status)) {
    spdlog::warn("Product {} is already {}; not recording this attempt's failure: {}", product_id,
                 ProductStatusName(current->status), error.ToString());
    return;
  }
  ProductStatus status = ProductStatus::kFailed;
  std::string reason = error.message();
  if (IsTransient(error.code())) {
    if (attempt < options_.max_receive_count) {
      status = ProductStatus::kQueued;
      reason = "attempt " + std::to_string(attempt) + " of " +
               std::to_string(options_.max_receive_count) + " failed, will retry: " + reason;
    } else {
      reason = "gave up after " + std::to_string(attempt) + " attempts: " + reason;
    }
  }
  if (metrics_ && status == ProductStatus::kFailed) metrics_->products_failed.Increment();
  Status recorded = repository_.SetProductStatus(product_id, status, reason);
  if (!recorded.ok()) {
    spdlog::error("Could not record the failure of product {}: {}", product_id, recorded.ToString());
  }
}

}  // namespace enhancer
