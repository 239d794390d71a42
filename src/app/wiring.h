// Wiring: the one place that decides which implementation of each seam runs, from Config.
#pragma once

#include <memory>

#include "app/config.h"
#include "aws/credentials_provider.h"
#include "net/http_client.h"
#include "core/cpu_pool.h"
#include "core/status.h"
#include "db/repository.h"
#include "fetch/photo_fetcher.h"
#include "plan/planner.h"
#include "queue/consumer.h"
#include "queue/queue.h"
#include "render/renderer.h"
#include "core/metrics.h"
#include "service/enhance_job.h"
#include "service/job_metrics.h"
#include "service/readiness.h"
#include "service/photo_enhancer.h"
#include "service/product_service.h"
#include "store/object_store.h"

namespace enhancer {

// The clients the AWS-backed parts (SQS, S3) share: one HTTP client and one cached credential
// chain, made on first use. Must outlive every part opened with it. Not thread-safe to set up;
// what it hands out is.
class AwsClients {
 public:
  explicit AwsClients(const Config& config) : config_(config) {}
  HttpClient& http();
  CredentialsProvider& credentials();
  // AWS_REGION, AWS_DEFAULT_REGION or the profile's; empty when none is set.
  std::string region() const;

 private:
  const Config& config_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<CredentialsProvider> credentials_;
};

Result<std::unique_ptr<Repository>> OpenRepository(const Config& config);
// Where the database is, without secrets, for logs.
std::string DescribeDatabase(const Config& config);
// SQS when SQS_QUEUE_URL is set, the embedded queue otherwise. With `check`, a cloud queue is
// asked once whether it exists and the credentials work (start-up errors that say what to fix).
Result<std::unique_ptr<Queue>> OpenQueue(const Config& config, AwsClients& aws, bool check = true);
// S3 when S3_BUCKET is set, the local folder otherwise; `check` as for OpenQueue.
Result<std::unique_ptr<ObjectStore>> OpenStore(const Config& config, AwsClients& aws, bool check = true);
Result<std::unique_ptr<PhotoFetcher>> MakeFetcher(const Config& config);
// The render settings of `config` (canvas, thumbnail, quality, input limits).
RenderOptions RenderOptionsOf(const Config& config);
// libvips, or with RENDERER=gemini-image the Gemini image renderer (its model checked against
// the service first, unless `check_model` is false).
Result<std::unique_ptr<Renderer>> MakeRenderer(const Config& config, bool check_model = true);
// The Gemini planner when GEMINI_API_KEY is set (its model checked against the service first,
// unless `check_model` is false), the local planner otherwise.
Result<std::unique_ptr<Planner>> MakePlanner(const Config& config, bool check_model = true);
ConsumerOptions MakeConsumerOptions(const Config& config);
// Moves the queue's dead letters back onto it; returns how many moved.
Result<int64_t> RedriveDeadLetters(const Config& config);

// Everything the service runs on, built in dependency order and destroyed in reverse.
struct Service {
  std::unique_ptr<AwsClients> aws;
  std::unique_ptr<Metrics> metrics;
  std::unique_ptr<JobMetrics> job_metrics;
  std::unique_ptr<Repository> repository;
  std::unique_ptr<Queue> queue;
  std::unique_ptr<ObjectStore> store;
  std::unique_ptr<PhotoFetcher> fetcher;
  std::unique_ptr<Renderer> renderer;
  std::unique_ptr<Planner> planner;
  std::unique_ptr<CpuPool> cpu_pool;  // decoding and rendering, one thread per core
  std::unique_ptr<PhotoEnhancer> enhancer;
  std::unique_ptr<EnhanceJob> job;
  std::unique_ptr<ProductService> products;
};

// Opens every part; with `migrate` the database schema is brought up to date first.
Result<std::unique_ptr<Service>> OpenService(const Config& config, bool migrate);

}  // namespace enhancer
