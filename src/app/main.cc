// enhancer: the command line. Each subcommand loads the configuration, wires what it needs
// (src/app/wiring.cc) and runs.
#include <malloc.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/config.h"
#include "app/enhance_command.h"
#include "app/logging.h"
#include "app/systemd_notify.h"
#include "app/queue_watch.h"
#include "app/version_info.h"
#include "app/wiring.h"
#include "http/api_server.h"

namespace enhancer {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// A configuration or usage problem: one line, exit code 2.
int UsageError(const Status& status) {
  std::cerr << "enhancer: " << status.message() << "\n";
  return kExitUsage;
}

int Failure(const Status& status) {
  spdlog::error("{}", status.ToString());
  return kExitFailure;
}

Result<Config> LoadConfigFromEnvironment() {
  Result<Environment> env = ReadEnvironment(".");
  if (!env) return env.error();
  return LoadConfig(*env);
}

// Blocks SIGINT and SIGTERM in every thread started after this, so that WaitForSignal (on the
// main thread) is the only place they arrive.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

void LogStartup(const Config& config, const Service& service) {
  spdlog::info("Queue URL: {}", service.queue->Describe());
  spdlog::info("Enhanced images count: {}", config.enhanced_images_count);
  spdlog::info("Object store: {}", service.store->Describe());
  spdlog::info("Database: {}", DescribeDatabase(config));
  spdlog::info("Worker concurrency: {}, visibility timeout: {} s, max receives: {}",
               config.worker_concurrency, config.visibility_timeout, config.max_receive_count);
}

// serve (with_api) and worker (without).
int RunService(bool with_api, bool migrate) {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  sigset_t signals = BlockStopSignals();
  Result<std::unique_ptr<Service>> service = OpenService(*config, migrate);
  if (!service) return Failure(service.error());
  Service& s = **service;
  LogStartup(*config, s);

  std::unique_ptr<ApiServer> api;
  std::thread api_thread;
  if (with_api) {
    ApiServerOptions options;
    options.host = config->host;
    options.port = config->port;
    options.max_upload_bytes = static_cast<size_t>(config->max_image_bytes);
    options.api_token = config->api_token;
    ApiServices services{*s.products, s.metrics.get(),
                         [&s] { return CheckReadiness(*s.repository, *s.queue, *s.store); }};
    api = std::make_unique<ApiServer>(std::move(services), options);
    Status bound = api->Bind();
    if (!bound.ok()) return Failure(bound);
    spdlog::info("Listening on http://{}:{}", config->host, api->port());
    api_thread = std::thread([&api] { api->Serve(); });
  }

  Consumer consumer(*s.queue,
                    [&s](const QueueMessage& message, std::stop_token stop) {
                      return s.job->HandleMessage(message, stop);
                    },
                    MakeConsumerOptions(*config));
  Status started = consumer.Start();
  if (!started.ok()) {
    if (api) api->Stop();
    if (api_thread.joinable()) api_thread.join();
    return Failure(started);
  }
  spdlog::info("Worker thread started");
  SystemdNotifier systemd(config->notify_socket, config->watchdog);
  systemd.Ready([&consumer] { return consumer.state() == Consumer::State::kRunning; });

  int signal = WaitForSignal(signals);
  spdlog::info("Received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
  systemd.Stopping();
  if (api) api->Stop();
  consumer.Stop();
  if (api_thread.joinable()) api_thread.join();
  spdlog::info("Stopped");
  return 0;
}

int RunMigrate() {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  Result<std::unique_ptr<Repository>> repository = OpenRepository(*config);
  if (!repository) return Failure(repository.error());
  Status migrated = (*repository)->Migrate();
  if (!migrated.ok()) return Failure(migrated);
  spdlog::info("Database {} is up to date", DescribeDatabase(*config));
  return 0;
}

int RunEnqueue(const std::vector<int64_t>& ids, std::optional<int> count) {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  Result<std::unique_ptr<Service>> service = OpenService(*config, /*migrate=*/false);
  if (!service) return Failure(service.error());
  int failures = 0;
  // A few hundred at a time: batched sends (SQS: 10 a call), and a huge list never held twice.
  constexpr size_t kChunk = 500;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    const std::vector<int64_t> chunk(ids.begin() + start,
                                     ids.begin() + std::min(ids.size(), start + kChunk));
    std::vector<Result<ProductView>> queued = (*service)->products->EnhanceMany(chunk, count);
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (!queued[i]) {
        ++failures;
        spdlog::error("Product {} not queued: {}", chunk[i], queued[i].error().message());
        continue;
      }
      std::cout << "queued product " << chunk[i] << "\n";
    }
  }
  return failures == 0 ? 0 : kExitFailure;
}

int RunQueueStats(bool json) {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  AwsClients aws(*config);
  Result<std::unique_ptr<Queue>> queue = OpenQueue(*config, aws);
  if (!queue) return Failure(queue.error());
  Result<QueueStats> stats = (*queue)->Stats();
  if (!stats) return Failure(stats.error());
  if (json) {
    std::cout << nlohmann::json{{"queue", (*queue)->Describe()},
                                {"visible", stats->visible},
                                {"in_flight", stats->in_flight},
                                {"delayed", stats->delayed},
                                {"dead_lettered", stats->dead_lettered}}
                     .dump()
              << "\n";
  } else {
    std::cout << "queue:         " << (*queue)->Describe() << "\n"
              << "visible:       " << stats->visible << "\n"
              << "in flight:     " << stats->in_flight << "\n"
              << "delayed:       " << stats->delayed << "\n"
              << "dead-lettered: " << stats->dead_lettered << "\n";
  }
  return 0;
}

int RunQueueRedrive() {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  Result<int64_t> moved = RedriveDeadLetters(*config);
  if (!moved) return Failure(moved.error());
  std::cout << "moved " << *moved << " dead-lettered message" << (*moved == 1 ? "" : "s")
            << " back to the queue\n";
  return 0;
}

int RunProcess(int64_t id, std::optional<int> count) {
  Result<Config> config = LoadConfigFromEnvironment();
  if (!config) return UsageError(config.error());
  Result<std::unique_ptr<Service>> service = OpenService(*config, /*migrate=*/false);
  if (!service) return Failure(service.error());
  Status status = (*service)->job->Run({id, count}, /*attempt=*/1, /*force=*/true, std::stop_token());
  if (!status.ok()) return Failure(status.WithContext("product " + std::to_string(id)));
  Result<ProductView> product = (*service)->products->Get(id);
  if (!product) return Failure(product.error());
  spdlog::info("Successfully processed product {}", id);
  for (const ImageView& image : product->images) {
    std::cout << image.image.variant << "\t" << image.image_url << "\n";
  }
  return 0;
}

int Main(int argc, char** argv) {
  {
    Result<Environment> env = ReadEnvironment(".");
    auto it = env ? env->find("LOG_FORMAT") : Environment::iterator();
    Result<LogFormat> format = ParseLogFormat(env && it != env->end() ? it->second : "");
    if (!format) return UsageError(format.error());
    SetUpLogging(*format);
  }

  CLI::App app{"enhancer: turns raw product photos into enhanced, review-ready images.\n"
               "Configuration comes from the environment and a .env file (see README.md)."};
  app.set_version_flag("--version", [] { return VersionText(ENHANCER_VERSION); },
                       "Print the version and those of libvips, libcurl and SQLite");
  // One line for a usage error, like every other error here (CLI11 adds a second by default).
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "enhancer: " + std::string(e.what()) + " (see --help)\n";
  });
  app.require_subcommand(1);

  bool no_migrate = false;
  auto* serve = app.add_subcommand("serve", "Run the HTTP API and the worker in one process.\n"
                                            "Example: PORT=5000 enhancer serve");
  serve->add_flag("--no-migrate", no_migrate, "Do not create or upgrade the tables at start-up");
  auto* worker = app.add_subcommand("worker", "Run the worker alone (no HTTP API).\n"
                                              "Example: WORKER_CONCURRENCY=4 enhancer worker");
  worker->add_flag("--no-migrate", no_migrate, "Do not create or upgrade the tables at start-up");
  app.add_subcommand("migrate", "Create or upgrade the database tables.\nExample: enhancer migrate");

  std::vector<int64_t> enqueue_ids;
  std::optional<int> count;
  auto* enqueue = app.add_subcommand("enqueue", "Queue products for enhancement.\nExample: enhancer enqueue 1 2 3");
  enqueue->add_option("ids", enqueue_ids, "Product ids")->required()->check(CLI::PositiveNumber);
  enqueue->add_option("--count", count, "Images per product for this run (1-10)")->check(CLI::Range(1, 10));

  bool stats_json = false;
  auto* queue = app.add_subcommand("queue", "Inspect the queue.\nExample: enhancer queue stats");
  queue->require_subcommand(1);
  auto* stats = queue->add_subcommand(
      "stats", "Visible, in-flight, delayed and dead-lettered messages; with --watch also the\n"
               "products finished per minute, redrawn until Ctrl-C.\n"
               "Example: enhancer queue stats --watch --interval 2");
  stats->add_flag("--json", stats_json, "Print one JSON object (per sample with --watch)");
  bool stats_watch = false;
  double stats_interval = 1.0;
  stats->add_flag("--watch", stats_watch, "Sample every --interval seconds until interrupted");
  stats->add_option("--interval", stats_interval, "Seconds between samples with --watch (default 1)")
      ->check(CLI::Range(0.1, 3600.0));

  auto* redrive = queue->add_subcommand("redrive", "Move dead-lettered messages back to the queue.\n"
                                                  "Example: enhancer queue redrive");

  int64_t process_id = 0;
  auto* process = app.add_subcommand("process", "Enhance one product now, without the queue.\n"
                                                "Example: enhancer process 42");
  process->add_option("id", process_id, "Product id")->required()->check(CLI::PositiveNumber);
  process->add_option("--count", count, "Images for this run (1-10)")->check(CLI::Range(1, 10));

  EnhanceCommandOptions enhance_options;
  CLI::App* enhance = AddEnhanceCommand(app, enhance_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  if (*serve) return RunService(/*with_api=*/true, !no_migrate);
  if (*worker) return RunService(/*with_api=*/false, !no_migrate);
  if (app.got_subcommand("migrate")) return RunMigrate();
  if (*enqueue) return RunEnqueue(enqueue_ids, count);
  if (*stats && stats_watch) {
    return RunQueueWatch({std::chrono::milliseconds(std::llround(stats_interval * 1000)), stats_json});
  }
  if (*stats) return RunQueueStats(stats_json);
  if (*redrive) return RunQueueRedrive();
  if (*process) return RunProcess(process_id, count);
  if (*enhance) return RunEnhanceCommand(enhance_options);
  return kExitUsage;
}

}  // namespace
}  // namespace enhancer

int main(int argc, char** argv) {
  // One malloc arena per core rather than glibc's eight: the jobs, the CPU pool and the HTTP
  // server's threads would otherwise each keep an arena of freed image buffers. Measured with
  // bench/e2e/run (100 mixed products, 8 in flight): peak RSS 343 MB -> 236 MB, same
  // throughput. MALLOC_ARENA_MAX in the environment still wins.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  }
  // Image buffers (a 1600x1600 canvas, the JPEG encoder's coefficients: ~8 MB each) come from
  // the heap and are reused, rather than each being a fresh mmap whose every page faults in
  // again: a third fewer page faults, ~5% less CPU per product (perf stat, R1 on 1 and 12 MP).
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) mallopt(M_TRIM_THRESHOLD, 64 << 20);
  return enhancer::Main(argc, argv);
}
