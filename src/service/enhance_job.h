// EnhanceJob: one queue message's work — load the product, download its photo, plan, render,
// upload, record — and what the product says when any of it fails.
#pragma once

#include <stop_token>
#include <string>

#include "core/status.h"
#include "db/repository.h"
#include "fetch/photo_fetcher.h"
#include "queue/queue.h"
#include "service/job_metrics.h"
#include "service/photo_enhancer.h"
#include "service/product_message.h"
#include "store/object_store.h"

namespace enhancer {

struct EnhanceJobOptions {
  int default_count = 3;      // images per product when the message names no count
  int max_receive_count = 5;  // the queue's: on the last attempt a transient failure is final
};

class EnhanceJob {
 public:
  // None is owned; all outlive the job and are thread-safe, so is the job. `metrics` may be null.
  EnhanceJob(Repository& repository, ObjectStore& store, const PhotoFetcher& fetcher,
             const PhotoEnhancer& enhancer, EnhanceJobOptions options, JobMetrics* metrics = nullptr)
      : repository_(repository), store_(store), fetcher_(fetcher), enhancer_(enhancer),
        options_(options), metrics_(metrics) {}

  // The queue consumer's handler. OK: done, or nothing to do. A permanent error has been recorded
  // on the product (if there is one) and the message should be deleted; a transient one has been
  // noted on the product and the message should come back later.
  Status HandleMessage(const QueueMessage& message, std::stop_token stop) const;

  // Enhances one product now. With `force` a product already reviewed or pending review is
  // enhanced again; without it, it is left as it is (a duplicate delivery). `attempt` is the
  // 1-based delivery count, used to tell the product when retries are over.
  Status Run(const ProductMessage& message, int attempt, bool force, std::stop_token stop) const;

 private:
  Status Handle(const QueueMessage& message, std::stop_token stop) const;
  Result<std::string> Download(const Product& product, std::stop_token stop) const;
  Status Enhance(const Product& product, int count, std::stop_token stop) const;
  void RecordFailure(int64_t product_id, const Status& error, int attempt) const;
  void RemoveSupersededObjects(const std::vector<ProductImage>& before,
                               const std::vector<ProductImage>& now) const;

  Repository& repository_;
  ObjectStore& store_;
  const PhotoFetcher& fetcher_;
  const PhotoEnhancer& enhancer_;
  EnhanceJobOptions options_;
  JobMetrics* metrics_;
};

// The object keys of one product's enhanced image and thumbnail. Deterministic in the product,
// the photo's content and the variant, so a retried job overwrites instead of adding.
std::string ImageKey(int64_t product_id, std::string_view source_hash, int index,
                     std::string_view variant);
std::string ThumbnailKey(int64_t product_id, std::string_view source_hash, int index,
                         std::string_view variant);

}  // namespace enhancer
