// Config: every setting of the service, read once at start-up from the environment and a `.env`
// file. Only src/app reads the environment; modules get their own option structs from here.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace enhancer {

// Variables as the process sees them: the real environment wins over `.env`.
using Environment = std::map<std::string, std::string>;

// The real environment merged over the `.env` file in `dir` (missing file: no error).
// InvalidArgument names the line of `.env` that cannot be read.
Result<Environment> ReadEnvironment(const std::string& dir = ".");

// The values RENDERER takes.
inline constexpr char kRendererLibvips[] = "libvips";
inline constexpr char kRendererGeminiImage[] = "gemini-image";

struct Config {
  // The seed's names.
  int enhanced_images_count = 3;                 // ENHANCED_IMAGES_COUNT, 1-10
  std::string sqs_queue_url;                     // SQS_QUEUE_URL; empty: the embedded queue
  std::string gemini_api_key;                    // GEMINI_API_KEY; empty: the local planner. Secret.
  std::string gemini_model = "gemini-flash-latest";  // GEMINI_MODEL
  std::string gemini_base_url = "https://generativelanguage.googleapis.com";  // GEMINI_BASE_URL

  // Where things live.
  std::string database_url = "sqlite://data/enhancer.db";  // DATABASE_URL
  std::string sqlite_path;                       // derived from DATABASE_URL; empty for PostgreSQL
  std::string queue_path = "data/queue.db";      // EMBEDDED_QUEUE_PATH: the embedded queue's file
  std::string media_dir = "data/media";          // MEDIA_DIR: the local object store
  std::string s3_bucket;                         // S3_BUCKET; empty: the local folder
  std::string s3_prefix;                         // S3_PREFIX: keys go under it ("enhancer/")
  bool s3_force_path_style = false;              // S3_FORCE_PATH_STYLE=true: <endpoint>/<bucket>/<key>
  std::string s3_public_base_url;                // S3_PUBLIC_BASE_URL: a CDN or public bucket;
                                                 // empty: presigned GETs
  int s3_presign_seconds = 3600;                 // S3_PRESIGN_SECONDS, 60-604800

  // The HTTP server.
  std::string host = "127.0.0.1";                // HOST
  int port = 5000;                               // PORT, 0-65535 (0: any free port)
  std::string api_token;                         // API_TOKEN: required by write requests. Secret.

  // The worker.
  int worker_concurrency = 0;                    // WORKER_CONCURRENCY, 1-64: products in flight;
                                                 // default: cores, 4x cores with Gemini
  int visibility_timeout = 300;                  // VISIBILITY_TIMEOUT seconds, 10-43200
  int max_receive_count = 5;                     // MAX_RECEIVE_COUNT, 1-1000
  int receive_wait_seconds = 20;                 // RECEIVE_WAIT_SECONDS, 1-20 (long poll)
  int max_job_seconds = 0;                       // MAX_JOB_SECONDS: a job is kept invisible at most
                                                 // this long; 0: 900 s or VISIBILITY_TIMEOUT if longer
  int shutdown_grace_seconds = 30;               // SHUTDOWN_GRACE_SECONDS, 0-3600: in-flight work
                                                 // may finish this long after SIGTERM

  // systemd (Type=notify), set by systemd itself.
  std::string notify_socket;                     // NOTIFY_SOCKET
  std::chrono::microseconds watchdog{0};         // WATCHDOG_USEC

  // The download of raw photos.
  std::vector<std::string> fetch_allowed_networks;  // FETCH_ALLOWED_NETWORKS, CIDRs
  int64_t max_image_bytes = 50 * 1024 * 1024;    // MAX_IMAGE_BYTES
  int64_t max_image_pixels = 100'000'000;        // MAX_IMAGE_PIXELS
  int fetch_timeout_seconds = 30;                // FETCH_TIMEOUT_SECONDS, 1-600

  // The renderer.
  std::string renderer = "libvips";              // RENDERER: libvips, or gemini-image (a Gemini
                                                 // image model, falling back to libvips)
  std::string gemini_image_model;                // GEMINI_IMAGE_MODEL: required by gemini-image,
                                                 // e.g. gemini-2.5-flash-image
  int output_size = 1600;                        // OUTPUT_SIZE: square canvas side, 64-8192
  int thumbnail_size = 600;                      // THUMBNAIL_SIZE, 16-2048
  int jpeg_quality = 85;                         // JPEG_QUALITY, 1-100
  bool shrink_on_load = true;                    // SHRINK_ON_LOAD: JPEG DCT-domain downscaling

  // The whole environment, for the AWS credential chain, region and endpoints (AWS_*), which
  // follow the AWS SDKs' own rules.
  Environment env;
};

// Reads and checks every variable. InvalidArgument names the variable, the value and what is
// allowed, e.g. "ENHANCED_IMAGES_COUNT must be an integer from 1 to 10, got \"abc\"".
Result<Config> LoadConfig(const Environment& env);

}  // namespace enhancer
