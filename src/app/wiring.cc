#include "app/wiring.h"

#include "db/postgres_repository.h"
#include "db/postgres_url.h"
#include "db/sqlite_repository.h"
#include "net/http_client.h"
#include "plan/gemini_model_check.h"
#include "plan/gemini_planner.h"
#include "plan/rule_planner.h"
#include "queue/embedded_queue.h"
#include "render/gemini_image_renderer.h"
#include "render/vips_renderer.h"
#include "aws/aws_endpoint.h"
#include "aws/aws_region.h"
#include "aws/credentials_chain.h"
#include "queue/sqs_queue.h"
#include "store/local_object_store.h"
#include "store/s3_object_store.h"

namespace enhancer {

Result<std::unique_ptr<Repository>> OpenRepository(const Config& config) {
  if (config.sqlite_path.empty()) return OpenPostgresRepository(config.database_url);
  return OpenSqliteRepository(config.sqlite_path);
}

std::string DescribeDatabase(const Config& config) {
  if (!config.sqlite_path.empty()) return "sqlite:" + config.sqlite_path;
  Result<PostgresTarget> target = ParsePostgresUrl(config.database_url);
  return target ? "postgres: " + target->Describe() : "postgres";
}

HttpClient& AwsClients::http() {
  if (!http_) http_ = MakeCurlHttpClient();
  return *http_;
}

CredentialsProvider& AwsClients::credentials() {
  if (!credentials_) credentials_ = MakeDefaultCredentialsChain(config_.env, http());
  return *credentials_;
}

std::string AwsClients::region() const {
  Result<std::string> region = ResolveRegion(config_.env);
  return region ? *region : "";
}

namespace {

// The endpoint the AWS_ENDPOINT_URL(_<SERVICE>) variables name, or "" for the AWS default.
Result<std::string> ConfiguredEndpoint(const Config& config, std::string_view service,
                                       const std::string& region) {
  std::string specific = "AWS_ENDPOINT_URL_" + std::string(service);
  for (char& c : specific) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!config.env.count(specific) && !config.env.count("AWS_ENDPOINT_URL")) return std::string();
  return ResolveEndpoint(service, config.env, region.empty() ? "us-east-1" : region);
}

Result<std::unique_ptr<Queue>> OpenSqs(const Config& config, AwsClients& aws, bool check) {
  SqsQueueOptions options;
  options.queue_url = config.sqs_queue_url;
  options.region = aws.region();
  Result<std::string> endpoint = ConfiguredEndpoint(config, "sqs", options.region);
  if (!endpoint) return endpoint.error();
  options.endpoint = *endpoint;
  options.request_timeout = std::chrono::seconds(30);
  Result<std::unique_ptr<SqsQueue>> queue = OpenSqsQueue(options, aws.http(), aws.credentials());
  if (!queue) return queue.error().WithContext("SQS_QUEUE_URL");
  if (check) ENHANCER_RETURN_IF_ERROR((*queue)->CheckAccess(std::stop_token()));
  return std::unique_ptr<Queue>(*std::move(queue));
}

Result<std::unique_ptr<ObjectStore>> OpenS3(const Config& config, AwsClients& aws, bool check) {
  S3StoreOptions options;
  options.bucket = config.s3_bucket;
  options.region = aws.region();
  Result<std::string> endpoint = ConfiguredEndpoint(config, "s3", options.region);
  if (!endpoint) return endpoint.error();
  options.endpoint = *endpoint;
  // An S3-compatible server on a custom endpoint ignores the region; AWS itself needs one.
  if (options.region.empty() && !options.endpoint.empty()) options.region = "us-east-1";
  if (options.region.empty()) {
    return InvalidArgumentError("S3_BUCKET is set but no region is: set AWS_REGION").WithField("AWS_REGION");
  }
  options.force_path_style = config.s3_force_path_style;
  options.prefix = config.s3_prefix;
  options.public_base_url = config.s3_public_base_url;
  options.presign_expiry = std::chrono::seconds(config.s3_presign_seconds);
  Result<std::unique_ptr<S3ObjectStore>> store = S3ObjectStore::Open(options, aws.http(), aws.credentials());
  if (!store) return store.error();
  if (check) ENHANCER_RETURN_IF_ERROR((*store)->CheckBucketAccess(std::stop_token()));
  return std::unique_ptr<ObjectStore>(*std::move(store));
}

}  // namespace

Result<std::unique_ptr<Queue>> OpenQueue(const Config& config, AwsClients& aws, bool check) {
  if (!config.sqs_queue_url.empty()) return OpenSqs(config, aws, check);
  EmbeddedQueueOptions options;
  options.path = config.queue_path;
  options.max_receive_count = config.max_receive_count;
  return OpenEmbeddedQueue(options);
}

Result<int64_t> RedriveDeadLetters(const Config& config) {
  if (!config.sqs_queue_url.empty()) {
    return FailedPreconditionError(
        "for SQS the dead-letter queue is redriven by SQS itself: use the console's \"Start DLQ "
        "redrive\" or `aws sqs start-message-move-task --source-arn <dead-letter queue ARN>`");
  }
  EmbeddedQueueOptions options;
  options.path = config.queue_path;
  options.max_receive_count = config.max_receive_count;
  Result<std::unique_ptr<EmbeddedQueue>> queue = EmbeddedQueue::Open(options);
  if (!queue) return queue.error();
  return (*queue)->RedriveDeadLetters();
}

Result<std::unique_ptr<ObjectStore>> OpenStore(const Config& config, AwsClients& aws, bool check) {
  if (!config.s3_bucket.empty()) return OpenS3(config, aws, check);
  return OpenLocalObjectStore(config.media_dir, "/media");
}

Result<std::unique_ptr<PhotoFetcher>> MakeFetcher(const Config& config) {
  FetchOptions options;
  options.max_bytes = config.max_image_bytes;
  options.total_timeout = std::chrono::seconds(config.fetch_timeout_seconds);
  std::string networks;
  for (const std::string& n : config.fetch_allowed_networks) networks += n + ",";
  Result<std::vector<Cidr>> allowed = ParseCidrList(networks);
  if (!allowed) return allowed.error().WithContext("FETCH_ALLOWED_NETWORKS");
  options.allowed_networks = *std::move(allowed);
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  return std::make_unique<PhotoFetcher>(std::move(options));
}

namespace {

// An HTTP client for Gemini, once `model` (named by `variable` in errors) is known to exist
// (GET /v1beta/models/{model}) when `check_model`.
Result<std::unique_ptr<HttpClient>> GeminiClient(const Config& config, const std::string& model,
                                                 const char* variable, bool check_model) {
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  if (check_model) {
    Status checked = CheckGeminiModel(*http, config.gemini_base_url, config.gemini_api_key, model,
                                      std::stop_token());
    if (!checked.ok()) return checked.WithContext(std::string(variable) + " " + model);
  }
  return http;
}

}  // namespace

RenderOptions RenderOptionsOf(const Config& config) {
  RenderOptions options;
  options.canvas = config.output_size;
  options.thumbnail = config.thumbnail_size;
  options.quality = config.jpeg_quality;
  options.max_bytes = config.max_image_bytes;
  options.max_pixels = config.max_image_pixels;
  options.shrink_on_load = config.shrink_on_load;
  return options;
}

Result<std::unique_ptr<Renderer>> MakeRenderer(const Config& config, bool check_model) {
  // Parallelism comes from the CPU pool, a photo's images and the worker's jobs: each libvips
  // pipeline runs on the thread that asks for it, so the pool's size is the whole of the CPU
  // work. (Set before any pipeline runs; MakeVipsRenderer keeps it.)
  (void)InitVips(1);
  const RenderOptions options = RenderOptionsOf(config);
  if (config.renderer != kRendererGeminiImage) return MakeVipsRenderer(options);

  Result<std::unique_ptr<HttpClient>> http =
      GeminiClient(config, config.gemini_image_model, "GEMINI_IMAGE_MODEL", check_model);
  if (!http) return http.error();
  GeminiImageRendererOptions image;
  image.base_url = config.gemini_base_url;
  image.api_key = config.gemini_api_key;
  image.model = config.gemini_image_model;
  image.render = options;
  Result<std::unique_ptr<GeminiImageRenderer>> renderer =
      GeminiImageRenderer::Create(*std::move(http), std::move(image));
  if (!renderer) return renderer.error().WithContext("GEMINI_IMAGE_MODEL");
  return std::unique_ptr<Renderer>(*std::move(renderer));
}

Result<std::unique_ptr<Planner>> MakePlanner(const Config& config, bool check_model) {
  if (config.gemini_api_key.empty()) return std::unique_ptr<Planner>(std::make_unique<RulePlanner>());
  Result<std::unique_ptr<HttpClient>> http =
      GeminiClient(config, config.gemini_model, "GEMINI_MODEL", check_model);
  if (!http) return http.error();
  GeminiPlannerOptions options;
  options.base_url = config.gemini_base_url;
  options.api_key = config.gemini_api_key;
  options.model = config.gemini_model;
  Result<std::unique_ptr<GeminiPlanner>> planner = GeminiPlanner::Create(*std::move(http), options);
  if (!planner) return planner.error();
  return std::unique_ptr<Planner>(*std::move(planner));
}

ConsumerOptions MakeConsumerOptions(const Config& config) {
  ConsumerOptions options;
  options.concurrency = config.worker_concurrency;
  options.wait_seconds = config.receive_wait_seconds;
  options.visibility = std::chrono::seconds(config.visibility_timeout);
  options.heartbeat_interval = std::chrono::seconds(std::max(1, config.visibility_timeout / 3));
  options.shutdown_grace = std::chrono::seconds(config.shutdown_grace_seconds);
  if (config.max_job_seconds > 0) options.max_job_time = std::chrono::seconds(config.max_job_seconds);
  return options;
}

Result<std::unique_ptr<Service>> OpenService(const Config& config, bool migrate) {
  auto service = std::make_unique<Service>();
  service->aws = std::make_unique<AwsClients>(config);
  service->metrics = std::make_unique<Metrics>();
  service->job_metrics = std::make_unique<JobMetrics>(*service->metrics);
  Result<std::unique_ptr<Repository>> repository = OpenRepository(config);
  if (!repository) return repository.error().WithContext("opening the database");
  service->repository = *std::move(repository);
  if (migrate) {
    ENHANCER_RETURN_IF_ERROR(service->repository->Migrate().WithContext("migrating the database"));
  }
  Result<std::unique_ptr<Queue>> queue = OpenQueue(config, *service->aws);
  if (!queue) return queue.error().WithContext("opening the queue");
  service->queue = *std::move(queue);
  Result<std::unique_ptr<ObjectStore>> store = OpenStore(config, *service->aws);
  if (!store) return store.error().WithContext("opening the object store");
  service->store = *std::move(store);
  Result<std::unique_ptr<PhotoFetcher>> fetcher = MakeFetcher(config);
  if (!fetcher) return fetcher.error();
  service->fetcher = *std::move(fetcher);
  Result<std::unique_ptr<Renderer>> renderer = MakeRenderer(config);
  if (!renderer) return renderer.error().WithContext("setting up the renderer");
  service->renderer = *std::move(renderer);
  Result<std::unique_ptr<Planner>> planner = MakePlanner(config);
  if (!planner) return planner.error().WithContext("setting up the planner");
  service->planner = *std::move(planner);
  service->cpu_pool = std::make_unique<CpuPool>();
  service->enhancer = std::make_unique<PhotoEnhancer>(
      *service->renderer, *service->planner, service->job_metrics.get(), service->cpu_pool.get());
  service->job = std::make_unique<EnhanceJob>(
      *service->repository, *service->store, *service->fetcher, *service->enhancer,
      EnhanceJobOptions{config.enhanced_images_count, config.max_receive_count},
      service->job_metrics.get());
  // Queue depth, read when /metrics is scraped.
  Queue* queue_ptr = service->queue.get();
  struct Depth {
    const char* state;
    int64_t QueueStats::*field;
  };
  for (Depth depth : {Depth{"visible", &QueueStats::visible}, Depth{"in_flight", &QueueStats::in_flight},
                      Depth{"delayed", &QueueStats::delayed},
                      Depth{"dead_lettered", &QueueStats::dead_lettered}}) {
    service->metrics->AddCallbackGauge(
        "enhancer_queue_messages", "Messages in the queue, by state.",
        std::string("state=\"") + depth.state + "\"", [queue_ptr, depth]() -> std::optional<double> {
          Result<QueueStats> stats = queue_ptr->Stats();
          if (!stats) return std::nullopt;
          return static_cast<double>((*stats).*depth.field);
        });
  }
  service->products =
      std::make_unique<ProductService>(*service->repository, *service->queue,
                                       *service->store, config.max_image_bytes);
  return service;
}

}  // namespace enhancer
