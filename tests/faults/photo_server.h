// PhotoServer: an HTTP server on 127.0.0.1 (a free port) that answers each path the way a test
// tells it to — a photo, an error status, a redirect, a trickle, a wait until released, or
// nothing at all — so tests can play every kind of image host, good and bad. Stopped (and its
// threads joined) by the destructor; no handler outlives it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace enhancer::testing {

class PhotoServer {
 public:
  PhotoServer();
  PhotoServer(const PhotoServer&) = delete;
  PhotoServer& operator=(const PhotoServer&) = delete;
  ~PhotoServer();

  // 200 with `body` and a Content-Length.
  void Serve(const std::string& path, std::string body, std::string content_type = "image/jpeg");
  // 200 with `body`, chunked: no Content-Length announces the size.
  void ServeChunked(const std::string& path, std::string body,
                    std::string content_type = "image/jpeg");
  // `status` with a short text body.
  void ServeStatus(const std::string& path, int status);
  // 302 to `location`.
  void ServeRedirect(const std::string& path, std::string location);
  // 200, then 16 bytes of `body` every `every`: slower than any sensible timeout.
  void ServeTrickle(const std::string& path, std::string body,
                    std::chrono::milliseconds every = std::chrono::milliseconds(500));
  // Never answers (not even headers) until the server stops.
  void ServeNothing(const std::string& path);
  // 200 with `body`, but only once Release(path) is called (or the server stops).
  void ServeWhenReleased(const std::string& path, std::string body);
  void Release(const std::string& path);

  // Every answer waits this long first (a slow but honest host).
  void DelayEveryAnswer(std::chrono::milliseconds delay);

  // Requests seen for `path` so far.
  int Requests(const std::string& path) const;

  int port() const { return port_; }
  std::string Url(const std::string& path) const;

 private:
  struct Route;
  void Handle(const std::string& path, void* response);
  // Waits for `delay`, or less when the server stops; true when stopping.
  bool WaitOrStop(std::chrono::milliseconds delay);

  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;

  mutable std::mutex mu_;
  std::condition_variable changed_;      // stopping_ or released_ changed
  std::map<std::string, Route> routes_;  // guarded by mu_
  std::map<std::string, int> requests_;  // guarded by mu_
  std::set<std::string> released_;       // guarded by mu_
  std::chrono::milliseconds delay_{0};   // guarded by mu_
  bool stopping_ = false;                // guarded by mu_

  std::thread thread_;
};

}  // namespace enhancer::testing
