#include "app/config.h"

#include <charconv>
#include <fstream>
#include <thread>

extern char** environ;

namespace enhancer {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Reads integer settings, each with its allowed range in one place, so the check and its message
// cannot disagree.
class Reader {
 public:
  explicit Reader(const Environment& env) : env_(env) {}

  const std::string* Get(const std::string& name) const {
    auto it = env_.find(name);
    if (it == env_.end() || Trim(it->second).empty()) return nullptr;
    return &it->second;
  }

  void String(const std::string& name, std::string& out) const {
    if (const std::string* v = Get(name)) out = Trim(*v);
  }

  template <typename Int>
  Status Integer(const std::string& name, Int min, Int max, Int& out) const {
    const std::string* v = Get(name);
    if (!v) return OkStatus();
    std::string text = Trim(*v);
    Int value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
      return InvalidArgumentError(name + " must be an integer from " + std::to_string(min) + " to " +
                                  std::to_string(max) + ", got \"" + *v + "\"")
          .WithField(name);
    }
    out = value;
    return OkStatus();
  }

  Status Boolean(const std::string& name, bool& out) const {
    const std::string* v = Get(name);
    if (!v) return OkStatus();
    const std::string text = Trim(*v);
    if (text != "true" && text != "false" && text != "1" && text != "0") {
      return InvalidArgumentError(name + " must be true or false, got \"" + text + "\"")
          .WithField(name);
    }
    out = text == "true" || text == "1";
    return OkStatus();
  }

 private:
  const Environment& env_;
};

Result<std::string> SqlitePathOf(const std::string& url) {
  for (std::string_view prefix : {"sqlite://", "sqlite:", "file:"}) {
    if (url.starts_with(prefix)) {
      std::string path = url.substr(prefix.size());
      if (path.empty()) break;
      return path;
    }
  }
  if (url.find("://") == std::string::npos && !url.empty()) return url;  // a plain file path
  return InvalidArgumentError("DATABASE_URL must be postgres://USER:PASSWORD@HOST:PORT/DB, sqlite://PATH "
                              "(for example sqlite://data/enhancer.db) or a file path")
      .WithField("DATABASE_URL");
}

}  // namespace

Result<Environment> ReadEnvironment(const std::string& dir) {
  Environment env;
  std::ifstream file(dir + "/.env");
  std::string line;
  int number = 0;
  while (file && std::getline(file, line)) {
    ++number;
    std::string text = Trim(line);
    if (text.empty() || text.front() == '#') continue;
    if (text.starts_with("export ")) text = Trim(text.substr(7));
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError(".env line " + std::to_string(number) + " is not NAME=value");
    }
    std::string name = Trim(text.substr(0, eq));
    std::string value = Trim(text.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (size_t hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));  // an inline comment
    }
    env[name] = value;
  }
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return env;
}

Result<Config> LoadConfig(const Environment& env) {
  Config c;
  Reader r(env);
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  c.worker_concurrency = cores;

  ENHANCER_RETURN_IF_ERROR(r.Integer("ENHANCED_IMAGES_COUNT", 1, 10, c.enhanced_images_count));
  r.String("SQS_QUEUE_URL", c.sqs_queue_url);
  r.String("GEMINI_API_KEY", c.gemini_api_key);
  r.String("GEMINI_MODEL", c.gemini_model);
  r.String("GEMINI_BASE_URL", c.gemini_base_url);
  r.String("RENDERER", c.renderer);
  r.String("GEMINI_IMAGE_MODEL", c.gemini_image_model);
  r.String("DATABASE_URL", c.database_url);
  r.String("EMBEDDED_QUEUE_PATH", c.queue_path);
  r.String("MEDIA_DIR", c.media_dir);
  r.String("S3_BUCKET", c.s3_bucket);
  r.String("S3_PREFIX", c.s3_prefix);
  r.String("S3_PUBLIC_BASE_URL", c.s3_public_base_url);
  ENHANCER_RETURN_IF_ERROR(r.Boolean("S3_FORCE_PATH_STYLE", c.s3_force_path_style));
  ENHANCER_RETURN_IF_ERROR(r.Integer("S3_PRESIGN_SECONDS", 60, 604800, c.s3_presign_seconds));
  r.String("HOST", c.host);
  r.String("API_TOKEN", c.api_token);
  ENHANCER_RETURN_IF_ERROR(r.Integer("PORT", 0, 65535, c.port));
  // A remote planner is mostly waiting: with four products per core in flight its answers arrive
  // while others render. The CPU work itself never runs on more threads than cores (CpuPool).
  if (!c.gemini_api_key.empty()) c.worker_concurrency = std::min(64, 4 * cores);
  ENHANCER_RETURN_IF_ERROR(r.Integer("WORKER_CONCURRENCY", 1, 64, c.worker_concurrency));
  ENHANCER_RETURN_IF_ERROR(r.Integer("VISIBILITY_TIMEOUT", 10, 43200, c.visibility_timeout));
  ENHANCER_RETURN_IF_ERROR(r.Integer("MAX_RECEIVE_COUNT", 1, 1000, c.max_receive_count));
  ENHANCER_RETURN_IF_ERROR(r.Integer("RECEIVE_WAIT_SECONDS", 1, 20, c.receive_wait_seconds));
  ENHANCER_RETURN_IF_ERROR(r.Integer("SHUTDOWN_GRACE_SECONDS", 0, 3600, c.shutdown_grace_seconds));
  ENHANCER_RETURN_IF_ERROR(r.Integer("MAX_JOB_SECONDS", c.visibility_timeout, 43200, c.max_job_seconds));
  r.String("NOTIFY_SOCKET", c.notify_socket);
  int64_t watchdog_usec = 0;
  ENHANCER_RETURN_IF_ERROR(r.Integer<int64_t>("WATCHDOG_USEC", 0, int64_t{1} << 40, watchdog_usec));
  c.watchdog = std::chrono::microseconds(watchdog_usec);
  ENHANCER_RETURN_IF_ERROR(r.Integer<int64_t>("MAX_IMAGE_BYTES", 1024, int64_t{1} << 32, c.max_image_bytes));
  ENHANCER_RETURN_IF_ERROR(r.Boolean("SHRINK_ON_LOAD", c.shrink_on_load));
  ENHANCER_RETURN_IF_ERROR(r.Integer<int64_t>("MAX_IMAGE_PIXELS", 1024, int64_t{1} << 32, c.max_image_pixels));
  ENHANCER_RETURN_IF_ERROR(r.Integer("FETCH_TIMEOUT_SECONDS", 1, 600, c.fetch_timeout_seconds));
  ENHANCER_RETURN_IF_ERROR(r.Integer("OUTPUT_SIZE", 64, 8192, c.output_size));
  ENHANCER_RETURN_IF_ERROR(r.Integer("THUMBNAIL_SIZE", 16, 2048, c.thumbnail_size));
  ENHANCER_RETURN_IF_ERROR(r.Integer("JPEG_QUALITY", 1, 100, c.jpeg_quality));

  if (const std::string* networks = r.Get("FETCH_ALLOWED_NETWORKS")) {
    std::string_view rest = *networks;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string item = Trim(rest.substr(0, comma));
      if (!item.empty()) c.fetch_allowed_networks.push_back(item);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }

  if (c.database_url.starts_with("postgres://") || c.database_url.starts_with("postgresql://")) {
    c.sqlite_path.clear();  // PostgreSQL: the URL is passed on as it is
  } else {
    Result<std::string> path = SqlitePathOf(c.database_url);
    if (!path) return path.error();
    c.sqlite_path = *path;
  }

  if (!c.sqs_queue_url.empty() && !c.sqs_queue_url.starts_with("https://") &&
      !c.sqs_queue_url.starts_with("http://")) {
    return InvalidArgumentError("SQS_QUEUE_URL must be the queue's URL, e.g. "
                                "https://sqs.eu-west-1.amazonaws.com/123456789012/products")
        .WithField("SQS_QUEUE_URL");
  }
  c.env = env;
  bool loopback = c.host == "127.0.0.1" || c.host == "localhost" || c.host == "::1";
  if (!loopback && c.api_token.empty()) {
    return InvalidArgumentError("HOST is " + c.host + ", which other machines can reach: set API_TOKEN "
                                "so that only holders of the token can change products")
        .WithField("API_TOKEN");
  }
  if (c.renderer != kRendererLibvips && c.renderer != kRendererGeminiImage) {
    return InvalidArgumentError("RENDERER must be " + std::string(kRendererLibvips) + " or " +
                                kRendererGeminiImage + ", got \"" + c.renderer + "\"")
        .WithField("RENDERER");
  }
  if (c.renderer == kRendererGeminiImage) {
    if (c.gemini_image_model.empty()) {
      return InvalidArgumentError("RENDERER=" + std::string(kRendererGeminiImage) +
                                  " needs GEMINI_IMAGE_MODEL, an image model such as "
                                  "gemini-2.5-flash-image")
          .WithField("GEMINI_IMAGE_MODEL");
    }
    if (c.gemini_api_key.empty()) {
      return InvalidArgumentError("RENDERER=" + std::string(kRendererGeminiImage) +
                                  " needs GEMINI_API_KEY")
          .WithField("GEMINI_API_KEY");
    }
  }
  if (c.thumbnail_size > c.output_size) {
    return InvalidArgumentError("THUMBNAIL_SIZE (" + std::to_string(c.thumbnail_size) +
                                ") must not exceed OUTPUT_SIZE (" + std::to_string(c.output_size) + ")")
        .WithField("THUMBNAIL_SIZE");
  }
  return c;
}

}  // namespace enhancer
