// LoopbackHttpServer: an in-process cpp-httplib server on 127.0.0.1 and a free port, for tests
// of code that speaks HTTP (this folder's client, the AWS credential providers and signed
// requests). Test-only: production code never includes this header.
#pragma once

#include <httplib.h>

#include <string>
#include <thread>

namespace enhancer {

class LoopbackHttpServer {
 public:
  // Binds (and listens) at once, so connections made before Start() wait in the backlog.
  LoopbackHttpServer() : port_(server_.bind_to_any_port("127.0.0.1")) {
    // Stop() waits for every connection's thread; an idle keep-alive connection holds one for
    // this long. Destroying the clients before the server closes them at once.
    server_.set_keep_alive_timeout(1);
  }
  ~LoopbackHttpServer() { Stop(); }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  // Register handlers here, before Start().
  httplib::Server& server() { return server_; }

  // Starts serving on a thread; returns once the accept loop runs, so Stop() cannot miss it.
  void Start() {
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }

  // Stops accepting and waits for the handlers to return: release any handler that blocks first.
  void Stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_;
  std::thread thread_;
};

}  // namespace enhancer
