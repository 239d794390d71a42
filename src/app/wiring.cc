#include "app/wiring.h"

#include "db/postgres_repository.h"
#include "db/postgres_url.h"
#include "db/sqlite_repository.h"
#include "plan/rule_planner.h"
#include "queue/embedded_queue.h"
#include "render/vips_renderer.h"
#include "store/local_object_store.h"

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

Result<std::unique_ptr<Queue>> OpenQueue(const Config& config) {
  EmbeddedQueueOptions options;
  options.path = config.queue_path;
  options.max_receive_count = config.max_receive_count;
  return OpenEmbeddedQueue(options);
}

Result<int64_t> RedriveDeadLetters(const Config& config) {
  EmbeddedQueueOptions options;
  options.path = config.queue_path;
  options.max_receive_count = config.max_receive_count;
  Result<std::unique_ptr<EmbeddedQueue>> queue = EmbeddedQueue::Open(options);
  if (!queue) return queue.error();
  return (*queue)->RedriveDeadLetters();
}

Result<std::unique_ptr<ObjectStore>> OpenStore(const Config& config) {
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

std::unique_ptr<Renderer> MakeRenderer(const Config& config) {
  RenderOptions options;
  options.canvas = config.output_size;
  options.thumbnail = config.thumbnail_size;
  options.quality = config.jpeg_quality;
  options.max_bytes = config.max_image_bytes;
  options.max_pixels = config.max_image_pixels;
  return MakeVipsRenderer(options);
}

std::unique_ptr<Planner> MakePlanner(const Config&) { return std::make_unique<RulePlanner>(); }

ConsumerOptions MakeConsumerOptions(const Config& config) {
  ConsumerOptions options;
  options.concurrency = config.worker_concurrency;
  options.wait_seconds = config.receive_wait_seconds;
  options.visibility = std::chrono::seconds(config.visibility_timeout);
  options.heartbeat_interval = std::chrono::seconds(std::max(1, config.visibility_timeout / 3));
  options.shutdown_grace = std::chrono::seconds(config.shutdown_grace_seconds);
  return options;
}

Result<std::unique_ptr<Service>> OpenService(const Config& config, bool migrate) {
  auto service = std::make_unique<Service>();
  service->metrics = std::make_unique<Metrics>();
  service->job_metrics = std::make_unique<JobMetrics>(*service->metrics);
  Result<std::unique_ptr<Repository>> repository = OpenRepository(config);
  if (!repository) return repository.error().WithContext("opening the database");
  service->repository = *std::move(repository);
  if (migrate) {
    ENHANCER_RETURN_IF_ERROR(service->repository->Migrate().WithContext("migrating the database"));
  }
  Result<std::unique_ptr<Queue>> queue = OpenQueue(config);
  if (!queue) return queue.error().WithContext("opening the queue");
  service->queue = *std::move(queue);
  Result<std::unique_ptr<ObjectStore>> store = OpenStore(config);
  if (!store) return store.error().WithContext("opening the object store");
  service->store = *std::move(store);
  Result<std::unique_ptr<PhotoFetcher>> fetcher = MakeFetcher(config);
  if (!fetcher) return fetcher.error();
  service->fetcher = *std::move(fetcher);
  service->renderer = MakeRenderer(config);
  service->planner = MakePlanner(config);
  service->enhancer =
      std::make_unique<PhotoEnhancer>(*service->renderer, *service->planner, service->job_metrics.get());
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
