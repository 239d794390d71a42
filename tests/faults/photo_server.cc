#include "photo_server.h"

#include <httplib.h>

#include <algorithm>

namespace enhancer::testing {

struct PhotoServer::Route {
  enum Kind { kBody, kChunked, kStatus, kRedirect, kTrickle, kNothing, kWhenReleased };
  Kind kind = kBody;
  std::string body;
  std::string content_type;
  int status = 200;
  std::chrono::milliseconds every{0};
};

PhotoServer::PhotoServer() : server_(std::make_unique<httplib::Server>()) {
  // Enough threads that hanging and trickling answers never starve the good ones.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req.path, &res);
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // listen_after_bind() sets is_running() before it accepts; the socket already queues
  // connections, so a request sent before then waits rather than fails.
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!server_->is_running() && std::chrono::steady_clock::now() < guard) {
    std::this_thread::yield();
  }
}

PhotoServer::~PhotoServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  thread_.join();
}

std::string PhotoServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void PhotoServer::Serve(const std::string& path, std::string body, std::string content_type) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kBody, std::move(body), std::move(content_type), 200, {}};
}

void PhotoServer::ServeChunked(const std::string& path, std::string body,
                               std::string content_type) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kChunked, std::move(body), std::move(content_type), 200, {}};
}

void PhotoServer::ServeStatus(const std::string& path, int status) {
  std::lock_guard lock(mu_);
  routes_[path] =
      Route{Route::kStatus, "status " + std::to_string(status), "text/plain", status, {}};
}

void PhotoServer::ServeRedirect(const std::string& path, std::string location) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kRedirect, std::move(location), "", 302, {}};
}

void PhotoServer::ServeTrickle(const std::string& path, std::string body,
                               std::chrono::milliseconds every) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kTrickle, std::move(body), "image/jpeg", 200, every};
}

void PhotoServer::ServeNothing(const std::string& path) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kNothing, "", "", 0, {}};
}

void PhotoServer::ServeWhenReleased(const std::string& path, std::string body) {
  std::lock_guard lock(mu_);
  routes_[path] = Route{Route::kWhenReleased, std::move(body), "image/jpeg", 200, {}};
}

void PhotoServer::Release(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    released_.insert(path);
  }
  changed_.notify_all();
}

void PhotoServer::DelayEveryAnswer(std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  delay_ = delay;
}

int PhotoServer::Requests(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find(path);
  return it == requests_.end() ? 0 : it->second;
}

bool PhotoServer::WaitOrStop(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, delay, [&] { return stopping_; });
}

void PhotoServer::Handle(const std::string& path, void* response) {
  auto& res = *static_cast<httplib::Response*>(response);
  Route route;
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mu_);
    ++requests_[path];
    auto it = routes_.find(path);
    if (it == routes_.end()) {
      res.status = 404;
      res.set_content("no such photo", "text/plain");
      return;
    }
    route = it->second;
    delay = delay_;
  }
  if (delay.count() > 0 && WaitOrStop(delay)) return;

  switch (route.kind) {
    case Route::kBody:
      res.set_content(route.body, route.content_type.c_str());
      return;
    case Route::kChunked: {
      auto body = std::make_shared<std::string>(std::move(route.body));
      res.set_chunked_content_provider(route.content_type.c_str(),
                                       [body](size_t offset, httplib::DataSink& sink) {
                                         constexpr size_t kChunk = 64 * 1024;
                                         if (offset >= body->size()) {
                                           sink.done();
                                           return true;
                                         }
                                         const size_t n = std::min(kChunk, body->size() - offset);
                                         return sink.write(body->data() + offset, n);
                                       });
      return;
    }
    case Route::kStatus:
      res.status = route.status;
      res.set_content(route.body, route.content_type.c_str());
      return;
    case Route::kRedirect:
      res.set_redirect(route.body);
      return;
    case Route::kTrickle: {
      auto body = std::make_shared<std::string>(std::move(route.body));
      const auto every = route.every;
      res.set_chunked_content_provider(
          route.content_type.c_str(), [this, body, every](size_t offset, httplib::DataSink& sink) {
            if (WaitOrStop(every)) return false;
            if (offset >= body->size()) {
              sink.done();
              return true;
            }
            return sink.write(body->data() + offset, std::min<size_t>(16, body->size() - offset));
          });
      return;
    }
    case Route::kNothing: {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return stopping_; });
      return;
    }
    case Route::kWhenReleased: {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return stopping_ || released_.count(path) > 0; });
      if (stopping_) return;
      lock.unlock();
      res.set_content(route.body, route.content_type.c_str());
      return;
    }
  }
}

}  // namespace enhancer::testing
