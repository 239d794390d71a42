#include "http/api_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "http/product_json.h"
#include "http/web_assets.h"

namespace enhancer {
namespace {

using nlohmann::json;

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void SendError(httplib::Response& res, const Status& status) {
  SendJson(res, HttpStatusFor(status.code()), ErrorJson(status));
}

Result<int64_t> ParseId(const std::string& text, std::string_view what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    return NotFoundError(std::string(what) + " " + text + " does not exist");
  }
  return id;
}

// The request body as a JSON object; an empty body is an empty object.
Result<json> ParseBody(const httplib::Request& req, size_t max_bytes) {
  if (req.body.empty()) return json::object();
  if (req.body.size() > max_bytes) {
    return InvalidArgumentError("request body is larger than " + std::to_string(max_bytes) + " bytes");
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgumentError("request body is not valid JSON");
  if (!body.is_object()) return InvalidArgumentError("request body must be a JSON object");
  return body;
}

// A string field; missing or null is "", any other type is an error naming the field.
Result<std::string> StringField(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return InvalidArgumentError(std::string(field) + " must be a string").WithField(field);
  }
  return it->get<std::string>();
}

// Compares in time independent of where the strings differ, so the token cannot be guessed a
// byte at a time from response times.
bool ConstantTimeEquals(std::string_view given, std::string_view token) {
  if (token.empty()) return false;
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) diff |= given[i] ^ token[i % token.size()];
  return diff == 0;
}

bool IsWrite(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

class ApiServer::Impl {
 public:
  Impl(ApiServices services, ApiServerOptions options)
      : services_(std::move(services)), service_(services_.products), options_(std::move(options)) {
    int threads = options_.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_payload_max_length(options_.max_upload_bytes);
    // Without it, Nagle's algorithm holds small keep-alive answers back ~40 ms.
    server_.set_tcp_nodelay(true);
    server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      Status error = res.status == 404   ? NotFoundError("no route for " + req.method + " " + req.path)
                     : res.status == 413 ? InvalidArgumentError("request body is too large")
                                         : InvalidArgumentError("request failed with HTTP " + std::to_string(res.status));
      res.set_content(ErrorJson(error).dump(), "application/json");
    });
    server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unexpected error";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      spdlog::error("HTTP handler failed: {}", what);
      SendError(res, InternalError("internal error"));
    });
    if (!options_.api_token.empty()) {
      server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (!IsWrite(req.method)) return httplib::Server::HandlerResponse::Unhandled;
        std::string header = req.get_header_value("Authorization");
        constexpr std::string_view kBearer = "Bearer ";
        if (header.starts_with(kBearer) &&
            ConstantTimeEquals(std::string_view(header).substr(kBearer.size()), options_.api_token)) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        res.set_header("WWW-Authenticate", "Bearer");
        std::string message = header.empty() ? "this request needs Authorization: Bearer <API_TOKEN>"
                                             : "the API token is wrong";
        SendJson(res, 401, {{"error", {{"code", "unauthorized"}, {"message", message}}}});
        return httplib::Server::HandlerResponse::Handled;
      });
    }
    Routes();
  }

  httplib::Server server_;
  const ApiServerOptions& options() const { return options_; }
  const std::vector<ApiRoute>& routes() const { return routes_; }

 private:
  // Registers a route and records it under its documented path (as in /openapi.json).
  template <typename Handler>
  void Add(const std::string& method, const std::string& documented_path, const std::string& pattern,
           Handler handler) {
    routes_.push_back({method, documented_path});
    if (method == "GET") server_.Get(pattern, std::move(handler));
    else if (method == "POST") server_.Post(pattern, std::move(handler));
    else if (method == "DELETE") server_.Delete(pattern, std::move(handler));
  }

  void Routes() {
    Add("GET", "/healthz", "/healthz", [](const httplib::Request&, httplib::Response& res) {
      SendJson(res, 200, {{"status", "ok"}});
    });
    Add("GET", "/readyz", "/readyz", [this](const httplib::Request&, httplib::Response& res) {
      ReadinessReport report = services_.readiness ? services_.readiness() : ReadinessReport{true, {}};
      json checks = json::object();
      for (const ReadinessCheck& check : report.checks) {
        checks[check.name] = check.ok ? json{{"status", "ok"}} : json{{"status", "failing"}, {"error", check.error}};
      }
      SendJson(res, report.ok ? 200 : 503, {{"status", report.ok ? "ready" : "not_ready"}, {"checks", checks}});
    });
    Add("GET", "/metrics", "/metrics", [this](const httplib::Request&, httplib::Response& res) {
      if (!services_.metrics) return SendError(res, NotFoundError("metrics are not enabled"));
      res.set_content(services_.metrics->Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    Add("POST", "/products", "/products", [this](const httplib::Request& req, httplib::Response& res) {
      Result<json> body = ParseBody(req, options_.max_json_bytes);
      if (!body) return SendError(res, body.error());
      NewProduct product;
      for (auto [field, target] : {std::pair{"name", &product.name},
                                   std::pair{"category", &product.category},
                                   std::pair{"raw_image_url", &product.raw_image_url}}) {
        Result<std::string> value = StringField(*body, field);
        if (!value) return SendError(res, value.error());
        *target = *std::move(value);
      }
      Result<ProductView> created = service_.Create(product);
      if (!created) return SendError(res, created.error());
      res.set_header("Location", "/products/" + std::to_string(created->product.id));
      SendJson(res, 201, ProductJson(*created));
    });
    Add("GET", "/products", "/products", [this](const httplib::Request& req, httplib::Response& res) {
      ProductFilter filter;
      if (req.has_param("status")) {
        std::optional<ProductStatus> status = ParseProductStatus(req.get_param_value("status"));
        if (!status) {
          return SendError(res, InvalidArgumentError("unknown status \"" + req.get_param_value("status") +
                                                     "\"").WithField("status"));
        }
        filter.status = status;
      }
      if (req.has_param("category")) filter.category = req.get_param_value("category");
      if (req.has_param("limit")) {
        const std::string text = req.get_param_value("limit");
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), filter.limit);
        if (ec != std::errc() || end != text.data() + text.size()) filter.limit = 0;
      }
      if (req.has_param("cursor")) {
        const std::string text = req.get_param_value("cursor");
        int64_t after = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), after);
        if (ec != std::errc() || end != text.data() + text.size() || after < 0) {
          return SendError(res, InvalidArgumentError("cursor is not one this API gave out").WithField("cursor"));
        }
        filter.after_id = after;
      }
      Result<ProductListView> list = service_.List(filter);
      if (!list) return SendError(res, list.error());
      SendJson(res, 200, ProductListJson(*list));
    });
    Add("GET", "/products/counts", "/products/counts", [this](const httplib::Request&, httplib::Response& res) {
      Result<StatusCounts> counts = service_.Counts();
      if (!counts) return SendError(res, counts.error());
      json by_status = json::object();
      int64_t total = 0;
      for (auto [status, n] : counts->counts) {
        by_status[std::string(ProductStatusName(status))] = n;
        total += n;
      }
      SendJson(res, 200, {{"counts", std::move(by_status)}, {"total", total}});
    });
    Add("POST", "/uploads", "/uploads", [this](const httplib::Request& req, httplib::Response& res) {
      // A multipart form with a "file" field (the review page), or the photo as the body.
      std::string_view bytes = req.body;
      // get_file_value() returns a copy: it must outlive `bytes`, which points into it.
      httplib::MultipartFormData file;
      if (req.is_multipart_form_data()) {
        if (!req.has_file("file")) {
          return SendError(res, InvalidArgumentError("the form has no \"file\" field").WithField("file"));
        }
        file = req.get_file_value("file");
        bytes = file.content;
      }
      Result<UploadedPhoto> uploaded = service_.Upload(bytes);
      if (!uploaded) return SendError(res, uploaded.error());
      SendJson(res, 201, {{"key", uploaded->key}, {"url", uploaded->url}});
    });
    Add("GET", "/products/{id}", R"(/products/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      Result<int64_t> id = ParseId(req.matches[1], "product");
      if (!id) return SendError(res, id.error());
      Result<ProductView> product = service_.Get(*id);
      if (!product) return SendError(res, product.error());
      SendJson(res, 200, ProductJson(*product));
    });
    Add("DELETE", "/products/{id}", R"(/products/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      Result<int64_t> id = ParseId(req.matches[1], "product");
      if (!id) return SendError(res, id.error());
      Status deleted = service_.Delete(*id);
      if (!deleted.ok()) return SendError(res, deleted);
      res.status = 204;
    });
    Add("POST", "/products/{id}/enhance", R"(/products/([^/]+)/enhance)", [this](const httplib::Request& req, httplib::Response& res) {
      Result<int64_t> id = ParseId(req.matches[1], "product");
      if (!id) return SendError(res, id.error());
      Result<json> body = ParseBody(req, options_.max_json_bytes);
      if (!body) return SendError(res, body.error());
      std::optional<int> count;
      if (auto it = body->find("count"); it != body->end() && !it->is_null()) {
        if (!it->is_number_integer()) {
          return SendError(res, InvalidArgumentError("count must be an integer from 1 to 10").WithField("count"));
        }
        count = it->get<int>();
      }
      Result<ProductView> product = service_.Enhance(*id, count);
      if (!product) return SendError(res, product.error());
      SendJson(res, 202, ProductJson(*product));
    });
    Add("GET", "/products/{id}/images", R"(/products/([^/]+)/images)", [this](const httplib::Request& req, httplib::Response& res) {
      Result<int64_t> id = ParseId(req.matches[1], "product");
      if (!id) return SendError(res, id.error());
      Result<std::vector<ImageView>> images = service_.Images(*id);
      if (!images) return SendError(res, images.error());
      json items = json::array();
      for (const ImageView& image : *images) items.push_back(ImageJson(image));
      SendJson(res, 200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
    });
    for (auto [verb, status] : {std::pair{"approve", ImageStatus::kApproved},
                                std::pair{"reject", ImageStatus::kRejected}}) {
      Add("POST", std::string("/images/{id}/") + verb, std::string(R"(/images/([^/]+)/)") + verb,
                   [this, status](const httplib::Request& req, httplib::Response& res) {
                     Result<int64_t> id = ParseId(req.matches[1], "image");
                     if (!id) return SendError(res, id.error());
                     Result<ImageView> image = service_.Review(*id, status);
                     if (!image) return SendError(res, image.error());
                     SendJson(res, 200, ImageJson(*image));
                   });
    }
    Add("GET", "/media/{key}", R"(/media/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      Result<StoredMedia> media = service_.Media(req.matches[1].str());
      if (!media) return SendError(res, media.error());
      // Keys name their content (the source hash is in the path): safe to cache for long.
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_content(std::move(media->bytes), media->content_type);
    });
    // The review page: everything that is not an API route.
    server_.Get(R"(/|/index\.html|/assets/.+|/openapi\.json)", [](const httplib::Request& req, httplib::Response& res) {
      std::optional<WebAsset> asset = FindWebAsset(req.path);
      if (!asset) return SendError(res, NotFoundError("no such page: " + req.path));
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data: blob: https: http:; style-src 'self' 'unsafe-inline'");
      res.set_content(std::string(asset->bytes), std::string(asset->content_type));
    });
  }

  std::vector<ApiRoute> routes_;
  ApiServices services_;
  ProductService& service_;
  ApiServerOptions options_;
};

ApiServer::ApiServer(ApiServices services, ApiServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(services), std::move(options))) {}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Bind() {
  const ApiServerOptions& o = impl_->options();
  int port = o.port == 0 ? impl_->server_.bind_to_any_port(o.host)
                         : (impl_->server_.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    return UnavailableError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                            " (is the port in use, or the address not on this machine?)");
  }
  port_ = port;
  return OkStatus();
}

const std::vector<ApiRoute>& ApiServer::routes() const { return impl_->routes(); }

void ApiServer::Serve() { impl_->server_.listen_after_bind(); }

void ApiServer::Stop() {
  if (impl_) impl_->server_.stop();
}

}  // namespace enhancer
