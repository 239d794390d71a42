// ApiServer: the JSON HTTP API (products, images, media, health) over ProductService.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/status.h"
#include "service/product_service.h"
#include "service/readiness.h"

namespace enhancer {

struct ApiServerOptions {
  std::string host = "127.0.0.1";
  int port = 5000;                  // 0 picks a free port
  size_t max_json_bytes = 1 << 20;             // larger JSON bodies are refused with 413
  size_t max_upload_bytes = 50 * 1024 * 1024;  // larger uploads (and any body) are refused
  int threads = 8;                  // request handler threads, separate from the worker's
  std::string api_token;            // when set, write requests need "Authorization: Bearer <it>"
};

// What the routes call. None is owned; all outlive the server.
struct ApiServices {
  ProductService& products;
  const Metrics* metrics = nullptr;                 // GET /metrics; 404 when null
  std::function<ReadinessReport()> readiness;       // GET /readyz; always ready when empty
};

// One API route as documented in /openapi.json: "GET", "/products/{id}".
struct ApiRoute {
  std::string method;
  std::string path;
};

class ApiServer {
 public:
  ApiServer(ApiServices services, ApiServerOptions options);
  ~ApiServer();

  // Binds the port. Errors: Unavailable ("port 5000 is in use").
  Status Bind();
  // Every API route, in registration order (the review page's static files excluded).
  const std::vector<ApiRoute>& routes() const;
  // The bound port (after Bind).
  int port() const { return port_; }
  // Serves until Stop(); call after Bind, on a thread of its own.
  void Serve();
  // Thread-safe; makes Serve return.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace enhancer
